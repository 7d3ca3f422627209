"""The quiz rules on plain data: what the CMS and the Markdown loader both refuse."""

from assessments.validation import Choice, Problem, Question, Quiz, faults, problems


def step(key, *targets, points=None):
    return Question(
        key, "step", [Choice(points=points or {"detection": 1}, target=t) for t in targets]
    )


def scenario(*questions, endings=("done",), **rules):
    return Quiz(
        dimensions=rules.get("dimensions", ["detection"]),
        pass_on=rules.get("pass_on", ["detection"]),
        questions=list(questions),
        endings=list(endings),
        draw=rules.get("draw"),
    )


def test_a_sound_scenario_has_no_problems():
    assert (
        problems(scenario(step("q1", "q2", "end:done"), step("q2", "end:done", "end:done"))) == []
    )


def test_choice_leading_to_a_missing_ending_is_named_at_its_choice():
    found = problems(scenario(step("q1", "end:done", "end:dnoe")))
    assert found == [
        Problem(
            ("questions", 0, "choices", 1, "leads_to"),
            "“end:dnoe” leads nowhere: no ending has the slug “dnoe”.",
            fatal=True,
        )
    ]


def test_choice_leading_nowhere_is_refused():
    [problem] = problems(scenario(step("q1", "end:done", "")))
    assert problem.where == ("questions", 0, "choices", 1, "leads_to")


def test_scenario_mixed_with_other_questions_is_refused():
    single = Question("q2", "single", [Choice(correct=True), Choice()])
    [problem] = problems(scenario(step("q1", "end:done", "end:done"), single))
    assert problem.where == ("questions",) and "scenario steps only" in problem.message


def test_a_long_loop_is_found_without_running_out_of_stack():
    chain = [step(f"q{n}", f"q{n + 1}", "end:done") for n in range(1, 3000)]
    found = problems(scenario(*chain, step("q3000", "q1", "end:done")))
    assert found == [
        Problem(
            ("questions", 2999, "choices", 0, "leads_to"),
            "This choice loops back to step “q1”: every path must reach an ending.",
            fatal=True,
        )
    ]


def test_must_pass_dimension_that_no_choice_earns_is_refused():
    quiz = scenario(
        step("q1", "end:done", "end:done"),
        dimensions=["detection", "rights"],
        pass_on=["detection", "rights"],
    )
    assert problems(quiz) == [
        Problem(
            ("pass_on",), "No answer earns points on “rights”, so nobody could pass.", fatal=True
        )
    ]


def test_two_endings_with_one_slug_are_refused():
    [problem] = problems(scenario(step("q1", "end:done", "end:done"), endings=["done", "done"]))
    assert problem.where == ("endings", 1, "slug")


def test_draw_on_a_scenario_is_refused():
    [problem] = problems(scenario(step("q1", "end:done", "end:done"), draw=1))
    assert problem.where == ("draw",)


def test_key_that_could_be_read_as_an_ending_is_refused():
    [problem] = problems(scenario(step("end:q1", "end:done", "end:done")))
    assert problem.where == ("questions", 0, "key")


def test_points_out_of_range_mislead_but_do_not_keep_learners_out():
    quiz = scenario(step("q1", "end:done", "end:done", points={"detection": 3}))
    assert [p.where for p in problems(quiz)] == [
        ("questions", 0, "choices", 0, "points"),
        ("questions", 0, "choices", 1, "points"),
    ]
    assert faults(quiz) == []


def test_a_loop_is_found_beside_problems_that_are_not_faults():
    quiz = scenario(step("q1", "q1", "end:done", points={"detection": 3}))
    assert [p.where[-1] for p in faults(quiz)] == ["leads_to"]


def test_critical_on_an_undeclared_dimension_is_named_at_its_choice():
    question = Question("q1", "single", [Choice(correct=True), Choice(critical=("rihgts",))])
    [problem] = problems(scenario(question, endings=()))
    assert problem.where == ("questions", 0, "choices", 1, "critical_on")
    assert "“rihgts” is not a scored dimension" in problem.message


def test_critical_on_a_dimension_not_required_to_pass_is_named():
    question = Question("q1", "single", [Choice(correct=True), Choice(critical=("rights",))])
    quiz = scenario(question, endings=(), dimensions=["detection", "rights"])
    [problem] = problems(quiz)
    assert problem.where == ("questions", 0, "choices", 1, "critical_on")
    assert "not required to pass" in problem.message


def test_an_ordering_item_cannot_be_critical():
    items = [Choice(), Choice(), Choice(critical=("detection",))]
    [problem] = problems(scenario(Question("q1", "ordering", items), endings=()))
    assert problem.where == ("questions", 0, "choices", 2, "critical_on")
