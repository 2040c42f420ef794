"""One module per command: each registers its argparse subcommand and runs it.

A command module owns its flags, its help text (with examples) and the function that runs it
and returns an exit code. Shared plumbing (where output goes, the client, colour, writing a
file) lives in ``common``; turning errors into exit codes is ``hcsync.cli``'s job.

``COMMANDS`` lists them with their one-line summaries: ``hcsync --help`` shows that list
and imports no command module, and ``hcsync plan ...`` imports ``plan`` alone. A command
module imports at module level only what its flags and help need; what running it needs
(the HTTP stack, YAML, the schema, the planner) is imported inside ``run``, so a command
loads only what it uses (``validate`` no HTTP, no planner). ``tests/test_startup.py`` holds
every command to that.
"""

# Name -> summary, in the order ``hcsync --help`` lists them; hcsync.commands.<name> (with
# "-" as "_") registers and runs the command.
COMMANDS = {
    "validate": "check config files",
    "plan": "show what apply would change",
    "show": "show a saved plan (no network)",
    "apply": "make the live help center match",
    "export": "write live state as YAML",
    "fetch-reviewed-plan": "fetch the plan reviewed on the merged pull request (GitHub Actions)",
}
