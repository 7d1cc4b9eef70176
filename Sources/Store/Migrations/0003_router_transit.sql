-- Each router gets the VNI of its transit segment (between its instances and its edge instance),
-- from the same pool as the switches' VNIs: one VNI names one segment.
ALTER TABLE routers ADD COLUMN transit_vni INTEGER CHECK (transit_vni BETWEEN 1 AND 16777215);

-- Routers made before transit segments existed get VNIs above every one in use.
UPDATE routers SET transit_vni = (SELECT COALESCE(MAX(vni), 0) FROM switches) + rowid;

CREATE UNIQUE INDEX routers_transit_vni ON routers (transit_vni);

-- Every VNI in use, by switches and by routers' transit segments.
CREATE VIEW vnis_in_use AS
    SELECT vni FROM switches
    UNION ALL
    SELECT transit_vni AS vni FROM routers;
