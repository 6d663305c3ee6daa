-- Pending: the Orders SaaS tables (task T3/T4 in the matrix).
CREATE TABLE service_orders (id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), room_id int REFERENCES rooms(id), created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE order_items (id serial PRIMARY KEY, order_id int NOT NULL REFERENCES service_orders(id), menu_id int NOT NULL REFERENCES menus(id), quantity int NOT NULL);
