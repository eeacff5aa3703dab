"""The PDF pipeline: CJK fonts found through fontconfig, HTML → PDF with WeasyPrint, batch merging."""
