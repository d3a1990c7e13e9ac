"""nbgrader preprocessor that takes each graded cell's points from course_config.POINTS."""

from nbgrader.preprocessors import NbGraderPreprocessor

import course_config as config


def points_for(assignment, grade_id):
    """Points of a graded cell: hidden tests ``test_<task>`` and answers carry the task's
    points; the visible checks ``check_<task>`` carry none."""
    points = config.POINTS[assignment]
    if grade_id.startswith("check_"):
        return 0.0
    task = grade_id[len("test_"):] if grade_id.startswith("test_") else grade_id
    if task not in points:
        raise ValueError(f"graded cell {grade_id!r} has no points in course_config.POINTS[{assignment!r}]")
    return float(points[task])


class SetPointsFromConfig(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                meta["points"] = points_for(assignment, meta["grade_id"])
        return nb, resources

