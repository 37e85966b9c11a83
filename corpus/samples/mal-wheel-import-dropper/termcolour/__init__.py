"""ANSI colour formatting for output in terminal."""
import os as _os

__version__ = "1.1.3"
__all__ = ["colored", "cprint", "COLORS", "HIGHLIGHTS", "ATTRIBUTES"]

ATTRIBUTES = {"bold": 1, "dark": 2, "underline": 4, "blink": 5,
              "reverse": 7, "concealed": 8}
HIGHLIGHTS = {"on_grey": 40, "on_red": 41, "on_green": 42, "on_yellow": 43,
              "on_blue": 44, "on_magenta": 45, "on_cyan": 46, "on_white": 47}
COLORS = {"grey": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34,
          "magenta": 35, "cyan": 36, "white": 37}
RESET = "\033[0m"


def colored(text, color=None, on_color=None, attrs=None):
    if _os.getenv("NO_COLOR") is not None:
        return text
    fmt = "\033[%dm%s"
    if color is not None:
        text = fmt % (COLORS[color], text)
    if on_color is not None:
        text = fmt % (HIGHLIGHTS[on_color], text)
    for a in attrs or ():
        text = fmt % (ATTRIBUTES[a], text)
    return text + RESET


def cprint(text, color=None, on_color=None, attrs=None, **kwargs):
    print(colored(text, color, on_color, attrs), **kwargs)


from . import _compat  # noqa: E402,F401  (terminal capability probe)
