from kzaz_facts.cli import main

main()
