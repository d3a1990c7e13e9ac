"""The pictures of a run: a training task's loss per epoch beside the reference's, and the
histogram of a class's scores.  matplotlib is imported where a picture is drawn, never at
import: the judging process should not pay for it when it draws nothing."""

import base64
import io
import threading

from autograder import settings as config
from autograder.grading import graders


def prepare_drawing(assignments=()):
    """Import matplotlib, and compute what the feedback pages of ``assignments`` draw beside
    each student's data, in a thread: called where a core is free (while a single worker
    starts, or once the last notebooks are being graded), so drawing later costs only the
    drawing.  The judging process imports matplotlib only when it draws."""

    def prepare():
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot  # noqa: F401
        except ImportError:
            pass
        for assignment in assignments:
            for task in config.graded_tasks(assignment):
                graders.page_details(assignment, {task: {}})

    thread = threading.Thread(target=prepare, name="prepare-drawing")
    thread.start()
    return thread


def loss_plot(losses, reference, task):
    """A PNG (base64) of the training loss per epoch, the student's beside the reference's."""
    import matplotlib  # where it draws (the module's docstring)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    ax.semilogy(reference, color="#888", linewidth=2.5, label="reference")
    if losses:
        finite = [v if v == v and 0 < v < float("inf") else float("nan") for v in losses]
        ax.semilogy(finite, color="#c0392b", linewidth=1.2, label=f"your {task}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (log scale)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def histogram(records, path):
    """A PNG of the distribution of total scores, written to ``path``."""
    with open(path, "wb") as f:
        f.write(histogram_png(records))
    return path


def histogram_png(records):
    """The distribution of total scores, as PNG bytes."""
    import matplotlib  # where it draws (the module's docstring)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = [r["total"] for r in records]
    top = max((r["max_total"] for r in records), default=1.0)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    bins = [b - 0.5 for b in range(int(top) + 2)]
    ax.hist(totals, bins=bins, color="#3a6ea5", edgecolor="white")
    ax.set_xlabel(f"total score (out of {top:g})")
    ax.set_ylabel("notebooks")
    ax.set_title(f"Scores of {len(records)} notebooks")
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()
