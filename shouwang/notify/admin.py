# Messages have no admin: an inbox is its recipient's alone, admins included
# (a message's title, body and key can tell of a referral or a help request).
# What has not gone out is at /notify/undelivered/, by kind, not by content.
