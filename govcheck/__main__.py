from govcheck.cli import main

main(prog_name="govcheck")
