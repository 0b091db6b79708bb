import six


def cents(amount):
    if isinstance(amount, six.string_types):
        amount = float(amount)
    return int(amount) * 100
