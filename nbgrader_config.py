# nbgrader's configuration is course_config.py, the kit's one place for settings.
c = get_config()  # noqa: F821
load_subconfig("course_config.py")  # noqa: F821
