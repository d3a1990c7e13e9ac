"""nbgrader's configuration, set from the course's settings: what nbgrader_config.py calls.

Light to import: nbgrader reads it in every command, and the preprocessors it names import
the grading machinery only when they run.
"""

from autograder import settings as config
from autograder.nbgrader.preprocessors import KitAutograde, KitLatePenalty, SetDueDateFromConfig, SetPointsFromConfig


def configure(c):
    """nbgrader's configuration object ``c``, set from the course's settings (course_config.py):
    what nbgrader_config.py calls."""
    # nbgrader's converters, when nbgrader reads its configuration, not when the kit is imported
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.generate_assignment import GenerateAssignment
    from nbgrader.converters.generate_feedback import GenerateFeedback
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        Execute,
        IncludeHeaderFooter,
        LockCells,
    )

    c.CourseDirectory.course_id = config.COURSE_ID
    c.CourseDirectory.solution_directory = "solutions"
    # Points come from the settings (each assignment's "points"), not from the notebook's metadata.
    stock = GenerateAssignment.class_traits()["preprocessors"].default()
    # The due date too: course_config.py's deadline, written into the gradebook (formgrader shows it).
    c.GenerateAssignment.preprocessors = [SetPointsFromConfig, SetDueDateFromConfig] + stock
    # Solutions for self-study: the visible checks stay, the hidden ones go.
    c.GenerateSolution.preprocessors = [
        IncludeHeaderFooter,
        LockCells,
        ClearOutput,
        ClearMarkScheme,
        ClearHiddenTests,
        Execute,
    ]
    # Torch's warnings on stderr would cost a test cell its points.
    c.IgnorePattern.enabled = True
    c.IgnorePattern.pattern = r"Warning"
    # nbgrader's own feedback pages leave out the hidden tests (nbgrader issue #917); the
    # kit's pages (python -m autograder grade --feedback) never had them.
    feedback_stock = GenerateFeedback.class_traits()["preprocessors"].default()
    c.GenerateFeedback.preprocessors = [ClearHiddenTests] + feedback_stock
    # nbgrader autograde (and formgrader's button) grade through the kit: student code runs in
    # the sandbox and is judged outside it, never with the hidden checks in its own kernel.
    autograde_stock = Autograde.class_traits()["autograde_preprocessors"].default()
    c.Autograde.autograde_preprocessors = [KitAutograde if p is Execute else p for p in autograde_stock]
    # Late work loses what course_config.py's late_policy says, on nbgrader's route as on the kit's.
    c.AssignLatePenalties.plugin_class = KitLatePenalty
    # A student who deleted a test cell gets it back, as the kit's grader does.
    c.OverwriteCells.add_missing_cells = True
    # nbgrader submit leaves a submission open (to read and to write) to anyone who learns its
    # name; the kit's closes its folder to all but its student and the instructors' group.
    c.ExchangeFactory.submit = "autograder.nbgrader.exchange.PrivateSubmit"
    # nbgrader zip_collect reads an LMS download's names as the kit's grading of a download does.
    c.ZipCollectApp.collector_plugin = "autograder.nbgrader.collect.DownloadCollector"
    c.Execute.timeout = config.CELL_TIMEOUT
    # Closing the kernel at once saves 1-3 s per notebook and changes no score.
    c.Execute.shutdown_kernel = "immediate"
    c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:"]
