# Test cases for python.debug-setting-enabled: a script with its own DEBUG switch is not a
# framework settings module.
# Negative-only cases use a plain comment, not an "ok" annotation: the semgrep --test runner
# requires each annotated rule to fire at least once in the file. Any finding here still fails.
import sys

# expect no finding (python.debug-setting-enabled)
DEBUG = True


def main():
    if DEBUG:
        print(sys.argv)
