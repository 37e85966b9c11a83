"""Small client for the Open-Meteo forecast API."""
from .client import WeatherClient

__version__ = "2.0.0"
__all__ = ["WeatherClient"]
