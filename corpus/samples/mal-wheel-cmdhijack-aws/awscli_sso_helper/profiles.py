import configparser
import os


def list_sso_profiles(path=None):
    """Return the names of profiles in ~/.aws/config that use SSO."""
    path = path or os.path.expanduser("~/.aws/config")
    cp = configparser.ConfigParser()
    cp.read(path)
    out = []
    for section in cp.sections():
        if "sso_start_url" in cp[section] or "sso_session" in cp[section]:
            out.append(section.replace("profile ", "", 1))
    return out
