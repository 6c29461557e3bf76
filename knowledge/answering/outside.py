"""What no loaded plan treats, named so that its words never fall into topic search: a figure no plan states, a
person's or business's own paper or filing, a plan that is not loaded. Each condition returns what to call the thing
("" when the question is about something else), and its rule answers that no plan has a task about it."""

from __future__ import annotations

from itertools import pairwise

from knowledge.answering.conditions import plan_in_question
from knowledge.answering.signals import Signals
from knowledge.answering.vocabulary import CueName, cue_book

__all__ = ["own_procedure", "unknown_plan", "unstated_figure"]

_NOT_PRICES = frozenset({"tri"})  # "giá trị": a value, which plans do set as targets


def unstated_figure(s: Signals) -> str:
    """The rate, price, fee or pay a question asks the amount of ("lãi suất … bao nhiêu"), when no plan writes it
    and nothing else is asked (who does what, how many tasks, an agency's tasks); "" otherwise."""
    if not s.has("how_many") or s.has("who", "count", "agency_tasks", "deadline"):
        return ""
    if s.agencies.status == "found" or plan_in_question(s):
        return ""
    words = s.question.words
    if s.has("figure"):  # one a plan writes ("ưu đãi về thuế, phí, lệ phí") is left to its tasks
        return _outside_phrase(s, "figure")
    # the price of a thing, "giá" typed with its mark (not the "gia" of "tham gia"), but not "giá trị" (a value);
    # in a message typed without marks, a "gia" that starts no pair the plans write and ends none ("tham gia")
    bare = not any(m and m != w for m, w in zip(s.question.marked, words, strict=False))
    for i, typed in enumerate(s.question.marked[:-1]):
        thing = words[i + 1]
        if thing in _NOT_PRICES or s.topics.knows(f"gia {thing}"):
            continue
        if typed.lower() == "giá":
            return f"giá {s.question.marked[i + 1] or thing}"
        if bare and words[i] == "gia" and not (i and s.topics.knows(f"{words[i - 1]} gia")):
            return f"giá {thing}"
    return ""


def _outside_phrase(s: Signals, name: CueName) -> str:
    """The first phrase of the cue class ``name`` the question says, as the word list writes it, when no loaded plan
    names any phrase of it the question says (its words in a row, folded; for a citizen's papers also as written)
    and the thesaurus does not name them all ("quyết toán thuế" is everyday words for the plans' "thuế", but
    "thuế thu nhập cá nhân" beside it is no plan's); "" otherwise."""
    words = s.question.words
    said: list[str] = []
    for phrase in (tuple(p.split()) for p in cue_book().classes[name]):
        size = len(phrase)
        if any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1)):
            folded = " ".join(phrase)
            pairs = [f"{a} {b}" for a, b in pairwise(phrase)]
            if s.topics.names_outside(folded) or (pairs and all(map(s.topics.knows, pairs))):
                return ""  # the plans treat it ("ưu đãi về thuế, phí, lệ phí", "căn cước" in Đề án 06)
            if not s.topics.rewords_outside(folded):
                said.append(folded)
    return cue_book().written(name, said[0]) if said else ""


def own_procedure(s: Signals) -> str:
    """A person's or a business's own paper or filing the question is about ("làm lại căn cước", "tờ khai thuế")
    that no loaded plan (nor the thesaurus) names, when no agency or plan is named and nothing is counted; ""
    otherwise."""
    if not s.has("own_procedure") or s.has("count", "rank_most", "rank_least", "plans_list"):
        return ""
    if s.agencies.status == "found" or plan_in_question(s):
        return ""
    return _outside_phrase(s, "own_procedure")


def unknown_plan(s: Signals) -> str:
    """A plan number the question names that matches no plan ("kế hoạch 999"), or a plan's period no plan has
    ("kế hoạch … giai đoạn 2021 - 2025", unless a number names a plan; title words alone do not settle it): what
    to call it; or ""."""
    number = next((m.number for m in s.plans if m.kind == "number" and not m.plans), "")
    if number or any(m.plans for m in s.plans if m.kind != "title"):
        return number
    for m in s.plans:
        if m.kind == "period" and m.years is not None:
            first, last = m.years
            return f"năm {first}" if first == last else f"giai đoạn {first}–{last}"
    return ""
