-- A template for tests/unit/test_honey_sqlite.c, not a honeytoken: what the
-- build-time image of an SQLite template must get right beyond the bundled
-- one. Indexes DESC, on several columns and on mixed types, UNIQUE (random
-- values may collide: SQLite's error then), a rowid alias and a table
-- without one, rowids given, every storage class, placeholders inside text,
-- in numeric and untyped columns, in pt_chrome_v10, used twice, and a table
-- with no index whose page fills up before any cell overflows (LONG_), an
-- index whose one cell is about as long as its page keeps (EDGE_), and
-- text that looks like a number where no affinity makes it one (NUMRAW_).
CREATE TABLE t1 (a TEXT, b VARCHAR(10), c INTEGER, d REAL, e BLOB, f NUMERIC, g);
CREATE INDEX t1_ab ON t1 (a DESC, b);
CREATE INDEX t1_cfg ON t1 (c, f DESC, g);
CREATE UNIQUE INDEX t1_ea ON t1 (e, a);
INSERT INTO t1 VALUES ('{{A1}}', 'x{{B1}}y', '{{NUM_1}}', 1.5, X'00ff10', '{{NUM_2}}', NULL);
INSERT INTO t1 VALUES ('{{A2}}', '{{B2}}{{B3}}', 7, -2.25, pt_chrome_v10('{{A1}}'), 3, 'text');
INSERT INTO t1 VALUES ('', NULL, -123456789012, 0.0, X'', '{{NUM_3}}', 42);
INSERT INTO t1 (rowid, a, b) VALUES (1000, '{{A3}}', 'q');
CREATE TABLE t2 (id INTEGER PRIMARY KEY, k TEXT UNIQUE, v);
INSERT INTO t2 (k, v) VALUES ('{{A1}}', 1), ('{{A2}}', 2.5), ('k{{B1}}', X'01');
CREATE TABLE t3 (p, q);
INSERT INTO t3 VALUES ('{{LONG_1}}', 1), ('{{LONG_2}}', 2), ('{{LONG_3}}', 3), ('{{LONG_4}}', '{{NUMRAW_4}}');
CREATE TABLE t4 (p TEXT);
CREATE INDEX t4_p ON t4 (p);
INSERT INTO t4 VALUES ('{{EDGE_1}}');
CREATE TABLE empty (x);
