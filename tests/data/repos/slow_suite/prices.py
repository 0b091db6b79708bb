def with_tax(net, rate=0.2):
    return round(net * (1 + rate), 2)


def discount(price, percent):
    return round(price * (1 - percent / 10), 2)
