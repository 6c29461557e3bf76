"""The answer engine's pipeline of pure steps: question → signals → Query → execution → rendering.

:mod:`knowledge.answers` is the public facade (``AnswerEngine``, ``Answer``, ``Suggestion``, ``Query``).
"""
