"""Longest palindromic substring by expanding around centres."""


def longest_palindrome(text):
    """The longest substring of text that reads the same backwards; the leftmost on ties."""
    best_start, best_len = 0, 0
    for centre in range(2 * len(text) - 1):
        left = centre // 2
        right = left + centre % 2
        while left >= 0 and right < len(text) and text[left] == text[right]:
            left -= 1
            right += 1
        length = right - left - 1
        if length > best_len:
            best_start, best_len = left + 1, length
    return text[best_start:best_len]
