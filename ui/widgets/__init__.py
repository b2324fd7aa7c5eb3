"""What pages are built from: inputs, notices, the page furniture, the model picker and exports."""
