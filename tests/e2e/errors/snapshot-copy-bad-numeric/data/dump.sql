COPY public.gigs (id, title, start_time, rate, status) FROM stdin;
aaaaaaaa-0000-4000-8000-000000000001	Ok	2026-03-14 10:00:00+00	1.505	PUBLISHED
\.
