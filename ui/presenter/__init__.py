"""Presenter mode: the talk (pages in order), its slide decks, and the held step the browser walks
without the server.
"""
