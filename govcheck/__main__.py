from govcheck.launch import main

main()
