"""One module per page's content, composed by the short files of pages/."""
