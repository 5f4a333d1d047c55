COPY public.gigs (id) FROM stdin;
\.
