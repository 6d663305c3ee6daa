-- The unified schema: tenants, staff, members, rooms, reservations, menus.
CREATE TABLE tenants (id text PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE staff (id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), name text NOT NULL);
CREATE TABLE audit_logs (id bigserial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), action text NOT NULL, at timestamptz NOT NULL DEFAULT now());
CREATE TABLE customers (id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), name text NOT NULL, email text);
CREATE TABLE customer_ranks (id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), name text NOT NULL);
CREATE TABLE point_histories (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), points int NOT NULL, at timestamptz NOT NULL DEFAULT now());
CREATE TABLE room_types (id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), name text NOT NULL);
CREATE TABLE rooms (id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), number text NOT NULL, room_type_id int REFERENCES room_types(id));
CREATE TABLE reservations (id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), room_id int REFERENCES rooms(id), customer_id int REFERENCES customers(id), check_in date NOT NULL, check_out date NOT NULL);
CREATE TABLE guests (id serial PRIMARY KEY, reservation_id int NOT NULL REFERENCES reservations(id), name text NOT NULL);
CREATE TABLE menus (id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), name text NOT NULL, price_yen int NOT NULL);
