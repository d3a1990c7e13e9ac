"""What an assignment's graders are built from: loading and running them (``graders``), the
comparisons (``checks``), naming known mistakes (``diagnosis``) and the shared train task
(``training``, ``train_mistakes``).  Assignments import the kit only from here."""
