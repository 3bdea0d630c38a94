import sys

from lnsym.cli.main import main

sys.exit(main())
