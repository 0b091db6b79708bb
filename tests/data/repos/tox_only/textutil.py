import six


def shout(text):
    return six.ensure_text(text).upper() + "?"
