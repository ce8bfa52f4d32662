"""APScheduler jobs: thin wrappers that call a routine service and send through a notifier.

The jobs themselves arrive with the school-clock issue; the package exists so that the layers
contract already holds it in its place.
"""
