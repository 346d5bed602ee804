"""Background jobs for the notes app. DELIBERATELY INSECURE EXAMPLE."""

import os
import subprocess


def ping_host(host):
    # planted: subprocess with shell=True and a command built from input (command injection)
    return subprocess.check_output("ping -c 1 " + host, shell=True)


def whois(domain):
    # planted: os.system with input in the command line (command injection)
    return os.system("whois %s > /tmp/whois.txt" % domain)


def archive_uploads(folder):
    # planted: bandit suppression comment on a real shell-injection call
    return subprocess.call(f"tar czf uploads.tgz {folder}", shell=True)  # nosec B602


def run_hook(hook_source):
    # planted: semgrep suppression comment on a real exec of caller-supplied code
    exec(hook_source)  # nosemgrep
