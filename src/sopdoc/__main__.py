from sopdoc.cli import main

main()
