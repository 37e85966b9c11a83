-- Chrome's "Login Data" (schema of Chrome 12x on Linux). Passwords are
-- "v10" blobs: what Chrome writes without a keyring, and what stealers
-- decrypt with the well-known "peanuts" key.
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
INSERT INTO meta VALUES('mmap_status','-1');
INSERT INTO meta VALUES('version','41');
INSERT INTO meta VALUES('last_compatible_version','40');
CREATE TABLE logins (origin_url VARCHAR NOT NULL, action_url VARCHAR, username_element VARCHAR, username_value VARCHAR, password_element VARCHAR, password_value BLOB, submit_element VARCHAR, signon_realm VARCHAR NOT NULL, date_created INTEGER NOT NULL, blacklisted_by_user INTEGER NOT NULL, scheme INTEGER NOT NULL, password_type INTEGER, times_used INTEGER, form_data BLOB, display_name VARCHAR, icon_url VARCHAR, federation_url VARCHAR, skip_zero_click INTEGER, generation_upload_status INTEGER, possible_username_pairs BLOB, id INTEGER PRIMARY KEY AUTOINCREMENT, date_last_used INTEGER NOT NULL DEFAULT 0, moving_blocked_for BLOB, date_password_modified INTEGER NOT NULL DEFAULT 0, sender_email VARCHAR, sender_name VARCHAR, date_received INTEGER, sharing_notification_displayed INTEGER NOT NULL DEFAULT 0, keychain_identifier BLOB, sender_profile_image_url VARCHAR, UNIQUE (origin_url, username_element, username_value, password_element, signon_realm));
CREATE INDEX logins_signon ON logins (signon_realm);
CREATE TABLE stats (origin_domain VARCHAR NOT NULL, username_value VARCHAR, dismissal_count INTEGER, update_time INTEGER NOT NULL, UNIQUE(origin_domain, username_value));
-- Times are microseconds since 1601 (Windows FILETIME epoch), as Chrome
-- keeps them: "time" tokens of the manifest. Every value that changes from
-- run to run is a quoted placeholder (the INTEGER columns take the digits
-- as numbers), and no SQL function but pt_chrome_v10 is called, so the
-- build can keep an image of this database (runner/honey_sqlite_image.h).
INSERT INTO logins (origin_url, action_url, username_element, username_value, password_element, password_value, submit_element, signon_realm, date_created, blacklisted_by_user, scheme, password_type, times_used, date_last_used, date_password_modified)
VALUES ('https://github.com/session', 'https://github.com/session', 'login', '{{GITHUB_LOGIN}}', 'password', pt_chrome_v10('{{BROWSER_PASSWORD_GITHUB}}'), '', 'https://github.com/',
        '{{CHROME_GITHUB_CREATED}}', 0, 0, 0, 14, '{{CHROME_GITHUB_USED}}', '{{CHROME_GITHUB_MODIFIED}}');
INSERT INTO logins (origin_url, action_url, username_element, username_value, password_element, password_value, submit_element, signon_realm, date_created, blacklisted_by_user, scheme, password_type, times_used, date_last_used, date_password_modified)
VALUES ('https://signin.aws.amazon.com/', 'https://signin.aws.amazon.com/oauth', 'email', '{{EMAIL}}', 'password', pt_chrome_v10('{{BROWSER_PASSWORD_AWS}}'), '', 'https://signin.aws.amazon.com/',
        '{{CHROME_AWS_CREATED}}', 0, 0, 0, 6, '{{CHROME_AWS_USED}}', '{{CHROME_AWS_MODIFIED}}');
INSERT INTO logins (origin_url, action_url, username_element, username_value, password_element, password_value, submit_element, signon_realm, date_created, blacklisted_by_user, scheme, password_type, times_used, date_last_used, date_password_modified)
VALUES ('https://www.npmjs.com/login', 'https://www.npmjs.com/login', 'username', '{{USER_SHORT}}', 'password', pt_chrome_v10('{{BROWSER_PASSWORD_NPM}}'), '', 'https://www.npmjs.com/',
        '{{CHROME_NPM_CREATED}}', 0, 0, 0, 3, '{{CHROME_NPM_USED}}', '{{CHROME_NPM_MODIFIED}}');
