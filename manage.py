#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
    from django.core.management import execute_from_command_line

    from lagesbild.startup import setup_django

    setup_django(sys.argv)  # Django set up without the collector rescanning it (see there)

    execute_from_command_line(sys.argv)
