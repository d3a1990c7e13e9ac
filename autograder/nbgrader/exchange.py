"""``nbgrader submit`` with each submission closed to other students.

nbgrader's exchange leaves a submission in ``<exchange>/<course>/inbound/`` as a folder of
mode 0777 holding files of mode 0644: students cannot list the inbound folder, but anyone who
learns a submission's name (``<student>+<assignment>+<timestamp>+<random>``) can read it,
its ``submission_secret.txt`` (which names the student's feedback page), and add or delete
files in it.  ``PrivateSubmit`` submits as nbgrader does, then makes the submission's folder
0770: its student and the instructors' group only.  The folder belongs to that group because
nbgrader's ``release_assignment`` makes the inbound folder set-group-id; the files inside keep
nbgrader's modes, so an instructor who is not root still reads all of them (the ones nbgrader
writes last belong to the student's group, since the folder has by then lost its set-group-id
bit).  ``autograder.nbgrader.config.configure`` puts it in place (``ExchangeFactory.submit``), so
it runs wherever students' nbgrader reads the kit's configuration.
"""

import os

from nbgrader.exchange.default.submit import ExchangeSubmit


class PrivateSubmit(ExchangeSubmit):
    def copy_files(self):
        super().copy_files()
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        if os.stat(dest).st_gid != os.stat(self.inbound_path).st_gid:
            self.log.warning(
                "%s is not set-group-id (nbgrader release_assignment makes it so): the submission stays "
                "open to anyone who learns its name",
                self.inbound_path,
            )
            return
        os.chmod(dest, 0o770)
