--
-- PostgreSQL database dump
--

\restrict fixture

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);

COPY public.users_profile (id, handle, display_name, bio, website_url, hourly_rate_min, account_status, email, created_at) FROM stdin;
11111111-1111-4111-8111-111111111111	ada	Ada Byrne	Line one\r\nline two\twith a tab and a back\\slash	www.example.org/ada	50.00	active	ada@example.com	2026-03-29 00:59:59.5+00
22222222-2222-4222-8222-222222222222	../etc	Ben "B" O'Hara		javascript:alert(1)	0.00	active	ben@example.com	2026-03-29 01:00:00+00
33333333-3333-4333-8333-333333333333	cara	Cara <Private>	secret bio	\N	\N	active	cara@example.com	2026-10-25 00:30:00+00
44444444-4444-4444-8444-444444444444	dan	Dan Banned	banned bio	https://example.net/dan	10.50	banned	dan@example.com	2026-10-25 01:30:00+00
\.


COPY public.gigs (id, owner_user_id, title, description, comp_type, status, city, start_time, created_at, style_tags, application_deadline) FROM stdin;
aaaaaaaa-0000-4000-8000-000000000001	11111111-1111-4111-8111-111111111111	Golden hour <b>portraits</b>	Bring two looks.\r\nLiteral \\N stays text.	TFP	PUBLISHED	Dublin	2026-07-01 18:30:00+01	2026-01-02 10:00:00.123456+00	{"golden hour","y2k \\"vibes\\"","a,b"}	2026-06-30 23:59:00+01
aaaaaaaa-0000-4000-8000-000000000002	22222222-2222-4222-8222-222222222222	Studio day	<script>alert('x')</script>	PAID	PUBLISHED	dublin	2026-12-01 09:00:00+00	2026-01-02 10:00:00.123456+00	{}	2026-11-30 12:00:00+00
aaaaaaaa-0000-4000-8000-000000000003	11111111-1111-4111-8111-111111111111	Draft gig must not appear	draft text	PAID	DRAFT	Cork	2026-05-01 09:00:00+01	2026-02-01 10:00:00+00	\N	2026-04-30 09:00:00+01
aaaaaaaa-0000-4000-8000-000000000004	33333333-3333-4333-8333-333333333333	Expired deadline	old	EXPENSES	PUBLISHED	\N	2025-05-01 09:00:00+01	2025-02-01 10:00:00+00	{x}	2025-04-30 09:00:00+01
aaaaaaaa-0000-4000-8000-000000000005	44444444-4444-4444-8444-444444444444	Owner is banned		PAID	\N	Galway	2026-08-01 09:00:00+01	2026-03-01 10:00:00+00	{z}	2026-07-30 09:00:00+01
\.


COPY public.user_settings (id, profile_id, profile_visibility) FROM stdin;
55555555-5555-4555-8555-555555555555	11111111-1111-4111-8111-111111111111	public
66666666-6666-4666-8666-666666666666	33333333-3333-4333-8333-333333333333	private
\.

\unrestrict fixture

--
-- Data for Name: user_handle_redirects; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.user_handle_redirects (id, old_handle, new_handle, private_note) FROM stdin;
77777777-0000-4000-8000-000000000001	ada_old	ada	redirect note@example.com
77777777-0000-4000-8000-000000000002	first	second	redirect note@example.com
77777777-0000-4000-8000-000000000003	second	ada	redirect note@example.com
77777777-0000-4000-8000-000000000004	ada	cara	redirect note@example.com
77777777-0000-4000-8000-000000000005	cara_old	cara	redirect note@example.com
77777777-0000-4000-8000-000000000006	dan_old	dan	redirect note@example.com
77777777-0000-4000-8000-000000000007	(.*)	ada	redirect note@example.com
77777777-0000-4000-8000-000000000008	\N	ada	redirect note@example.com
77777777-0000-4000-8000-000000000009	clash	cara	redirect note@example.com
77777777-0000-4000-8000-000000000010	clash	ada	redirect note@example.com
77777777-0000-4000-8000-000000000011	x	<script>	redirect note@example.com
77777777-0000-4000-8000-000000000012	Ünï	ada	redirect note@example.com
\.

