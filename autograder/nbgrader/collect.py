"""``nbgrader zip_collect`` reading an LMS download's file names as the kit does.

nbgrader's ``zip_collect`` takes the files of a bulk download (``downloaded/<assignment>/archive/``,
zips or files) into ``submitted/<student>/<assignment>/``, but it needs a regular expression from
the instructor for the names.  ``DownloadCollector`` needs none: it reads each name with
``autograder.runner.submission.download_name``, the table the kit's own grading of a download
uses (Canvas: ``smithann_1001_5001_rnn_sum.ipynb``, late or submitted again; Moodle; by hand:
``<student>_<assignment>.ipynb``), so both routes give a notebook the same student and name.
``autograder.nbgrader.config.configure`` puts it in place (``ZipCollectApp.collector_plugin``).
"""

import os

from nbgrader.plugins import FileNameCollectorPlugin

from autograder.runner.submission import download_name


class DownloadCollector(FileNameCollectorPlugin):
    def collect(self, submitted_file):
        name = os.path.basename(submitted_file)
        if os.path.splitext(name)[1] not in self.valid_ext:
            return None
        found = download_name(name)
        if found is None:
            self.log.warning("%s: the name says no student (see docs/instructors.md, LMS downloads)", name)
            return None
        return {"student_id": found.student, "file_id": found.file}
