// The topology page: signs in with an API token (kept in this tab's sessionStorage, sent only in
// the Authorization header), reads the API every two seconds, and draws each tenant's routers,
// switches and ports grouped by host as SVG, coloured by realization. Text from the API only ever
// reaches the page as text nodes.
"use strict";

const TOKEN_KEY = "switchyard-token";
const POLL_MS = 2000;
const SVG = "http://www.w3.org/2000/svg";
let token = sessionStorage.getItem(TOKEN_KEY);
let timer = null;
let lastDrawn = "";

class APIError extends Error {
  constructor(path, status) {
    super(`${path}: HTTP ${status}`);
    this.status = status;
  }
}

async function get(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
  if (!response.ok) throw new APIError(path, response.status);
  return response.json();
}

// Every item of a collection, page after page.
async function list(path) {
  let items = [];
  let cursor = null;
  do {
    const query = `?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await get(path + query);
    items = items.concat(page.items);
    cursor = page.next;
  } while (cursor);
  return items;
}

// A collection only admins read (tenants, hosts): null for other tokens.
async function adminList(path) {
  try {
    return await list(path);
  } catch (error) {
    if (error.status === 403) return null;
    throw error;
  }
}

async function load() {
  const [tenants, switches, ports, routers, floatingIPs, hosts, networks] = await Promise.all([
    adminList("/v1/tenants"), list("/v1/switches"), list("/v1/ports"), list("/v1/routers"),
    list("/v1/floating-ips"), adminList("/v1/hosts"), list("/v1/external-networks"),
  ]);
  const interfaces = (await Promise.all(routers.map((router) => list(`/v1/routers/${router.id}/interfaces`)))).flat();
  return { tenants, switches, ports, routers, floatingIPs, hosts, networks, interfaces };
}

// realized, pending or error: an object is in error when a host reports it, pending until every
// host that must realize it has acked.
function stateOf(id, status, errors) {
  if (errors.has(id)) return "error";
  if (!status) return "realized";
  return status.realized ? "realized" : "pending";
}

function model(data) {
  const errors = new Map();
  const hostByID = new Map();
  for (const host of data.hosts ?? []) {
    hostByID.set(host.id, host);
    for (const error of host.status?.errors ?? []) errors.set(error.object, `${host.name}: ${error.message}`);
  }
  const tenantIDs = new Set([...data.switches, ...data.routers, ...data.ports].map((object) => object.tenant));
  const tenants = (data.tenants ?? [...tenantIDs].map((id) => ({ id, name: id })))
    .filter((tenant) => tenantIDs.has(tenant.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  const networkName = new Map(data.networks.map((network) => [network.id, network.name]));
  const fipByPort = new Map(data.floatingIPs.filter((fip) => fip.port).map((fip) => [fip.port, fip.address]));
  return tenants.map((tenant) => {
    const ports = data.ports.filter((port) => port.tenant === tenant.id).map((port) => ({
      ...port, state: stateOf(port.id, port.status, errors), error: errors.get(port.id), floating: fipByPort.get(port.id),
      hostName: port.host ? (hostByID.get(port.host)?.name ?? port.host) : null,
    }));
    const switches = data.switches.filter((sw) => sw.tenant === tenant.id).map((sw) => {
      const own = ports.filter((port) => port.switch === sw.id);
      const state = errors.has(sw.id) ? "error" : own.some((port) => port.state !== "realized") ? "pending" : "realized";
      return { ...sw, state, error: errors.get(sw.id) };
    });
    const routers = data.routers.filter((router) => router.tenant === tenant.id).map((router) => ({
      ...router, state: stateOf(router.id, router.status, errors), error: errors.get(router.id),
      edgeName: router.edgeHost ? (hostByID.get(router.edgeHost)?.name ?? router.edgeHost) : null,
      networkName: router.externalNetwork ? (networkName.get(router.externalNetwork) ?? router.externalNetwork) : null,
      switches: data.interfaces.filter((leg) => leg.router === router.id).map((leg) => leg.switch),
    }));
    const hostNames = [...new Set(ports.map((port) => port.hostName ?? ""))].sort();
    const hosts = hostNames.map((name) => {
      const host = (data.hosts ?? []).find((candidate) => candidate.name === name);
      return { name, connected: host ? host.status?.connected === true : null, ports: ports.filter((port) => (port.hostName ?? "") === name) };
    });
    return { tenant, routers, switches, hosts };
  });
}

function element(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// A labelled box: a group carrying the object's kind, id and state for whoever reads the drawing.
function box(kind, object, x, y, width, height, lines, state) {
  const group = element("g", { class: `node ${kind}`, "data-kind": kind, "data-id": object.id, "data-name": object.name,
                               "data-state": state, transform: `translate(${x},${y})` });
  group.appendChild(element("rect", { class: "box", width, height, rx: 6 }));
  lines.forEach((line, index) => {
    group.appendChild(element("text", { x: 8, y: 16 + index * 14, class: index === 0 ? "" : "small" }, line));
  });
  const title = element("title", {}, [object.name, object.id, state, object.error].filter(Boolean).join(" · "));
  group.appendChild(title);
  return group;
}

const COLUMN = 200;
const PORT_HEIGHT = 48;

function drawTenant(view) {
  const width = Math.max(view.routers.length, view.switches.length, view.hosts.length, 1) * COLUMN + 40;
  const tallest = Math.max(1, ...view.hosts.map((host) => host.ports.length));
  const height = 300 + tallest * PORT_HEIGHT + 30;
  const svg = element("svg", { width, height, viewBox: `0 0 ${width} ${height}`, "data-tenant": view.tenant.id, role: "img" });
  svg.appendChild(element("title", {}, `Tenant ${view.tenant.name}`));
  const links = element("g", { class: "links" });
  svg.appendChild(links);
  const switchAt = new Map();
  view.switches.forEach((sw, index) => {
    const x = 20 + index * COLUMN;
    switchAt.set(sw.id, { x: x + 85, y: 150 });
    svg.appendChild(box("switch", sw, x, 150, 170, 44, [sw.name, `${sw.cidr} · VNI ${sw.vni}`], sw.state));
  });
  view.routers.forEach((router, index) => {
    const x = 20 + index * COLUMN;
    const lines = [router.name, router.edgeName ? `edge on ${router.edgeName}` : router.networkName ? "no edge host" : "no uplink"];
    if (router.uplinkIp) lines.push(`uplink ${router.uplinkIp}${router.snat ? " · SNAT" : ""}`);
    svg.appendChild(box("router", router, x, 50, 170, 58, lines, router.state));
    if (router.networkName) {
      links.appendChild(element("path", { class: "uplink", d: `M${x + 85},50 L${x + 85},28`, "data-router": router.id }));
      const external = element("g", { class: "node external", "data-kind": "external-network", "data-id": router.externalNetwork,
                                      transform: `translate(${x + 40},4)` });
      external.appendChild(element("rect", { class: "box", width: 90, height: 22, rx: 11 }));
      external.appendChild(element("text", { x: 10, y: 15 }, router.networkName));
      svg.appendChild(external);
    }
    for (const switchID of router.switches) {
      const target = switchAt.get(switchID);
      if (target) links.appendChild(element("path", { class: "link", d: `M${x + 85},108 L${target.x},${target.y}`,
                                                      "data-router": router.id, "data-switch": switchID }));
    }
  });
  view.hosts.forEach((host, index) => {
    const x = 20 + index * COLUMN;
    const group = element("g", { class: "host", "data-kind": "host", "data-name": host.name || "(unbound)",
                                 "data-connected": host.connected === null ? "unknown" : String(host.connected),
                                 transform: `translate(${x},250)` });
    group.appendChild(element("rect", { class: "frame", width: 180, height: 30 + host.ports.length * PORT_HEIGHT, rx: 8 }));
    const label = host.name ? `host ${host.name}${host.connected === false ? " (offline)" : ""}` : "not bound to a host";
    group.appendChild(element("text", { x: 8, y: 18 }, label));
    host.ports.forEach((port, row) => {
      const lines = [port.name, port.floating ? `${port.ip} · fip ${port.floating}` : port.ip];
      const node = box("port", port, 5, 26 + row * PORT_HEIGHT, 170, 40, lines, port.state);
      node.setAttribute("data-host", host.name);
      if (port.floating) node.setAttribute("data-floating-ip", port.floating);
      group.appendChild(node);
      const target = switchAt.get(port.switch);
      if (target) links.appendChild(element("path", { class: "link", d: `M${x + 90},${250 + 26 + row * PORT_HEIGHT} L${target.x},194`,
                                                      "data-port": port.id, "data-switch": port.switch }));
    });
    svg.appendChild(group);
  });
  return svg;
}

function draw(views) {
  const main = document.getElementById("tenants");
  main.replaceChildren(...views.map((view) => {
    const section = document.createElement("section");
    section.className = "tenant";
    section.dataset.tenant = view.tenant.id;
    const heading = document.createElement("h2");
    heading.textContent = `Tenant ${view.tenant.name}`;
    section.append(heading, drawTenant(view));
    return section;
  }));
  if (views.length === 0) main.textContent = "Nothing to draw yet: no switches, routers or ports.";
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

async function refresh() {
  try {
    const views = model(await load());
    const drawn = JSON.stringify(views);
    if (drawn !== lastDrawn) {
      draw(views);
      lastDrawn = drawn;
    }
    setStatus(`updated ${new Date().toLocaleTimeString()}`);
  } catch (error) {
    if (error.status === 401) return signOut("the token was refused");
    setStatus(`cannot read the API: ${error.message}`);
  }
}

function showSignedIn(signedIn) {
  document.getElementById("signin").hidden = signedIn;
  document.getElementById("signout").hidden = !signedIn;
  document.getElementById("legend").hidden = !signedIn;
}

function start() {
  showSignedIn(true);
  refresh();
  timer = setInterval(refresh, POLL_MS);
}

function signOut(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  clearInterval(timer);
  lastDrawn = "";
  document.getElementById("tenants").replaceChildren();
  showSignedIn(false);
  setStatus(reason ?? "signed out");
}

document.getElementById("signin").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("token");
  token = input.value.trim();
  input.value = "";
  sessionStorage.setItem(TOKEN_KEY, token);
  start();
});
document.getElementById("signout").addEventListener("click", () => signOut());
if (token) start();
