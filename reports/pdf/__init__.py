"""The PDF pipeline: CJK fonts found through fontconfig, HTML → PDF with WeasyPrint, batch merging."""

import logging

# WeasyPrint reports every layout step at INFO; set before it is first imported (by ``render``),
# or every worker start and every report would flood the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
