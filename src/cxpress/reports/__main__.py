"""`python -m cxpress.reports NOTEBOOK RUN_DIR --parameters JSON`: one notebook executed and exported
(the report runner starts one such process per notebook)."""

import sys

from cxpress.reports.execute import main

sys.exit(main())
