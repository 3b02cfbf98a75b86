"""Who is who: shipped actor dictionaries (`dictionary`) and in-article resolution (`resolver`)."""
