"""What runs beside the app's server: training jobs as processes of their own."""
