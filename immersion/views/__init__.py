"""The scheduling app's pages: the site shell, sessions, and the programme catalogue."""
