"""Files that leave the platform: the comment matrix as XLSX, CSV and DOCX (later the PDF).

Writers take plain rows (consult.services.matrix.model) and write them; they
never query and never know about requests.
"""
