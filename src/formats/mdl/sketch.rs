//! The sketch after `\\\---///`: Vensim's own diagram. Its variable lines
//! (`10,n,name,x,y,w,h,...`, x and y the centre) give the model map its
//! places, by the names the model's variables and levers are labelled
//! with. The sketch is decoration: a line that does not read is skipped,
//! never an error. Only the first view is read (each view has its own
//! coordinates).

use std::collections::HashMap;

use super::canonical;
use super::records::sketch_start;
use crate::model::Model;
use crate::model::def::Place;

/// Fills `m.map.places` from the sketch of `text`, for every variable and
/// lever the sketch draws.
pub fn place(m: &mut Model, text: &str) {
    let ids: HashMap<String, &str> = m
        .variables
        .iter()
        .map(|v| (&v.id, &v.label.en))
        .chain(m.levers.iter().map(|l| (&l.id, &l.label.en)))
        .map(|(id, label)| (canonical(label), id.as_str()))
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut places = Vec::new();
    for (name, at) in variables(&text[sketch_start(text)..]) {
        let Some(id) = ids.get(&canonical(&name)) else {
            continue;
        };
        if seen.insert(*id) {
            places.push(Place {
                id: id.to_string(),
                at,
            });
        }
    }
    m.map.places = places;
}

/// The first view's variable lines, name and centre: each view has
/// coordinates of its own, so only one is read.
fn variables(sketch: &str) -> impl Iterator<Item = (String, [f32; 2])> + '_ {
    sketch
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("///---") && !l.starts_with("\\\\\\---///"))
        .filter_map(|l| l.strip_prefix("10,"))
        .filter_map(variable)
}

/// `n,name,x,y,...` (after `10,`): the name (maybe quoted, with commas)
/// and a finite centre.
fn variable(rest: &str) -> Option<(String, [f32; 2])> {
    let (_, rest) = rest.split_once(',')?;
    let (name, rest) = if let Some(q) = rest.strip_prefix('"') {
        let end = closing_quote(q)?;
        (
            format!("\"{}\"", &q[..end]),
            q[end + 1..].strip_prefix(',')?,
        )
    } else {
        let (name, rest) = rest.split_once(',')?;
        (name.to_string(), rest)
    };
    let mut nums = rest.split(',').map(|x| x.trim().parse::<f32>().ok());
    let (x, y) = (nums.next()??, nums.next()??);
    (x.is_finite() && y.is_finite() && !name.trim().is_empty()).then_some((name, [x, y]))
}

/// Where the quoted name starting `q` ends (a `\"` does not end it).
fn closing_quote(q: &str) -> Option<usize> {
    let b = q.as_bytes();
    (0..b.len()).find(|&i| b[i] == b'"' && (i == 0 || b[i - 1] != b'\\'))
}

#[cfg(test)]
mod tests {
    use super::variable;

    #[test]
    fn an_imported_model_takes_its_sketch_s_places() {
        let text = "{UTF-8}\nstock = INTEG(rate, 1)\n ~ u ~ |\nrate = k * stock\n ~ u ~ |\n\
            k = 0.1\n ~ ~ |\nINITIAL TIME = 0 ~ ~ |\nFINAL TIME = 4 ~ ~ |\nTIME STEP = 1 ~ ~ |\n\
            SAVEPER = 1 ~ ~ |\n\\\\\\---/// Sketch\n*View 1\n10,1,stock,676,350,40,20,3\n\
            10,2,\"k\",10,20,1,1\n10,3,nothing here,1,2\n10,4,stock,0,0\n\\\\\\---/// View 2\n10,1,rate,5,5\n///---\\\\\\\n10,5,rate,1,1\n";
        let m = super::super::read(text, "t")
            .unwrap_or_else(|e| panic!("{e:?}"))
            .model;
        let places: Vec<(&str, [f32; 2])> =
            m.map.places.iter().map(|p| (p.id.as_str(), p.at)).collect();
        assert_eq!(places, [("stock", [676.0, 350.0]), ("k", [10.0, 20.0])]);
    }

    #[test]
    fn sketch_lines_give_names_and_centres_and_garbage_nothing() {
        assert_eq!(
            variable("1,accumulation,676,350,40,20,3,3,0,0,0,0,0,0"),
            Some(("accumulation".into(), [676.0, 350.0]))
        );
        assert_eq!(
            variable("7,\"a, b\",10.5,-3,1,1"),
            Some(("\"a, b\"".into(), [10.5, -3.0]))
        );
        assert_eq!(variable("7,x,NaN,3"), None);
        assert_eq!(variable("7,x,1e40,3"), None);
        assert_eq!(variable("7,x,1"), None);
        assert_eq!(variable("7,\"open,1,2"), None);
        assert_eq!(variable(""), None);
    }
}
