"""The Profiles page (issue 17): the profiles, their rules, and the forms that edit them."""
