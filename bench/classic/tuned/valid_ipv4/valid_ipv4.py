"""IPv4 address validation."""


def valid_ipv4(address):
    """Whether address is a dotted-quad IPv4 address such as "192.168.0.1".

    Each of the four parts is a decimal number from 0 to 255 with no sign and no
    leading zero ("01" is rejected, "0" is fine).
    """
    parts = address.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not part.isdigit() and int(part) > 255:
            return False
        if len(part) > 1 and part[0] == "0":
            return False
    return True
