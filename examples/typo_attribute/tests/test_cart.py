from shop.cart import Cart


def test_an_empty_cart_costs_nothing():
    assert Cart().total() == 0


def test_total_multiplies_price_by_quantity():
    cart = Cart()
    cart.add("pen", 150, quantity=2)
    cart.add("notebook", 400)
    assert cart.total() == 700
