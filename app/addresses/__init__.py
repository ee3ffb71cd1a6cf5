"""The official address register (BeST Address): read a regional file, import it."""
