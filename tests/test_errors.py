"""`errors.several`: several problems named on the one line printed."""

from pipeline.errors import Problem, several


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
