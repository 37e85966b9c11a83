"""HTTP client. Nothing is requested until a method is called."""
import json
import urllib.parse
import urllib.request

BASE_URL = "https://api.open-meteo.com/v1/forecast"
GEOCODING_URL = "https://geocoding-api.open-meteo.com/v1/search"
DOCS_URL = "https://open-meteo.com/en/docs"
USER_AGENT = "weather-api-client/2.0.0 (+https://github.com/weather-api-client)"


class WeatherClient:
    def __init__(self, base_url=BASE_URL, timeout=10):
        self.base_url = base_url
        self.timeout = timeout

    def _get(self, url, params):
        q = urllib.parse.urlencode(params, doseq=True)
        req = urllib.request.Request("%s?%s" % (url, q),
                                     headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(req, timeout=self.timeout) as r:
            return json.load(r)

    def forecast(self, lat, lon, hourly=("temperature_2m",)):
        return self._get(self.base_url, {"latitude": lat, "longitude": lon,
                                         "hourly": ",".join(hourly)})

    def geocode(self, name, count=1):
        return self._get(GEOCODING_URL, {"name": name, "count": count})
