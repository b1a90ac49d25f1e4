"""`errors.several`: several problems named on the one line printed; `errors.sentence`: each
message and hint ends as one sentence."""

import pytest

from pipeline.errors import Problem, sentence, several


@pytest.mark.parametrize(("text", "shown"), [
    ("het antwoord regelt niets", "het antwoord regelt niets."),
    ("het antwoord regelt niets.", "het antwoord regelt niets."),
    ("het antwoord regelt niets.. ", "het antwoord regelt niets."),
    ("een afspraak of een weigering?", "een afspraak of een weigering?"),
    ("niet akkoord: ‘Wie meldt dan?’", "niet akkoord: ‘Wie meldt dan?’"),
    ("niet akkoord: ‘Schrijf op wie.’", "niet akkoord: ‘Schrijf op wie.’"),
    ("niet akkoord: ‘Graag concreter’", "niet akkoord: ‘Graag concreter’."),
    ("zegt alleen ‘nog te bepalen’", "zegt alleen ‘nog te bepalen’."),
    ("(opvultekst of losse letters)", "(opvultekst of losse letters)."),
])
def test_sentence_ends_once(text, shown):
    assert sentence(text) == shown


def test_several_names_each_problem_up_to_the_limit_and_counts_the_rest():
    problems = [Problem(file="f", field="a", message="x", hint="h"),
                Problem(file="f", message="regel 2: y", hint="h"),
                Problem(file="f", field="c", message="z", hint="h")]
    line = several(problems, "3 fouten: ", file="f", hint="anders", unnamed="het beleid",
                   limit=2)
    assert line == Problem(file="f", message="3 fouten: a: x; het beleid: regel 2: y; en nog 1",
                           hint="h")
    mixed = [problems[0], Problem(file="f", message="regel 2: y", hint="ander")]
    assert several(mixed, "regel 2: 2 fouten: ", file="f", hint="anders",
                   strip="regel 2: ").format() == "f — regel 2: 2 fouten: a: x; y. anders."
