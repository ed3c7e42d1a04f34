//! The project file, format version 1: one Rust model that is the single source of truth.
//!
//! serde + schemars derive from these types the JSON Schema that editors use (`yimi schema`);
//! [`crate::project::types`] derives from that schema the type tree that validates input and that rule
//! paths are type-checked against. Every doc comment is one paragraph, `中文 / English`: it
//! becomes the field's description in the schema, in `yimi init` templates and in messages.
//! Quantities carry their unit in `x-unit` (see [`crate::project::units`]).
//!
//! Every field except the format version and the project's identity is optional: missing is not
//! zero, and a rule that needs a missing value reports it as missing evidence.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::project::date::Date;

/// What a jurisdiction path looks like: `CN`, then `/`-separated names in Latin letters.
pub const JURISDICTION_PATTERN: &str = r"^CN(/[A-Za-z][A-Za-z0-9-]*)*$";

/// 儿童影响评价项目文件 / A project file for children's impact assessment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "yimi project file, format version 1")]
pub struct ProjectFile {
    /// 文件格式版本,目前为 1 / Format version of this file; currently 1.
    #[schemars(range(min = 1, max = 1))]
    pub yimi: u32,
    /// 项目基本信息 / What is being assessed.
    pub project: Project,
    /// 用地 / The site.
    pub site: Option<Site>,
    /// 服务人口 / The population served.
    pub population: Option<Population>,
    /// 项目提供的设施,每项一条 / Facilities the project provides, one entry each.
    pub facilities: Option<Vec<Facility>>,
    /// 建筑(公共场所、商业、交通枢纽、医院等) / The building, for public venues, commercial buildings, transport hubs, hospitals and the like.
    pub building: Option<Building>,
    /// 学校信息(学校、幼儿园项目) / School details, for school and kindergarten projects.
    pub school: Option<School>,
    /// 医疗机构信息 / Hospital or health-centre details.
    pub hospital: Option<Hospital>,
    /// 公园绿地信息 / Park details.
    pub park: Option<Park>,
    /// 城市更新信息 / Urban-renewal details.
    pub renewal: Option<Renewal>,
    /// 公共文化、体育场馆信息 / Details of a public venue: library, museum, sports venue and the like.
    pub venue: Option<Venue>,
    /// 儿童福利、救助保护机构信息 / Details of a child welfare or protection institution.
    pub welfare: Option<Welfare>,
    /// 街区、道路信息(道路项目,或街区更新中的街巷) / Details of a street, road or walking network, or of the streets and lanes of a renewed block.
    pub street: Option<Street>,
    /// 周边环境:校门、道路、风险源 / Surroundings: school gates, roads and hazards near where children gather.
    pub surroundings: Option<Surroundings>,
    /// 儿童参与:决策前听取儿童及监护人意见的记录 / Children's participation: records of hearing children and guardians before the decision.
    pub participation: Option<Vec<Participation>>,
    /// 在案的证明材料 / Evidence documents on file.
    pub evidence: Option<Vec<Evidence>>,
    /// 规划或政策文件的内容(规划、政策类提交) / What a plan or policy contains, for plan and policy submissions.
    pub plan: Option<Plan>,
    /// 政策条款(政策类提交) / Provisions of a policy, for policy submissions.
    pub policy: Option<Policy>,
    /// 规划承诺的指标 / Indicators the plan commits to.
    pub targets: Option<Vec<Target>>,
    /// 经批准的豁免 / Approved waivers of rules.
    pub waivers: Option<Vec<Waiver>>,
}

/// 项目基本信息 / What is being assessed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// 项目编号 / The project's id, as the authority files it.
    #[schemars(length(min = 1))]
    pub id: String,
    /// 项目名称 / The project's name.
    pub name: Option<String>,
    /// 项目类型 / The kind of project, plan or policy.
    pub kind: ProjectKind,
    /// 所处阶段 / The stage the project is in.
    pub stage: Option<Stage>,
    /// 所在行政区划路径,如 CN/SH/Pudong;决定适用的规则包 / Jurisdiction path such as CN/SH/Pudong; it selects the rule packs that apply.
    #[schemars(regex(pattern = JURISDICTION_PATTERN))]
    pub jurisdiction: Option<String>,
    /// 是否为重大规划、政策或项目 / Whether this is a major plan, policy or project (重大规划/政策/项目).
    pub major: Option<bool>,
    /// 是否涉及儿童;未注明时,由儿童设施、项目类型、规划类型(儿童规划、托育或教育专项规划)或政策事项推定为是;写明 `false` 而文件中有上述内容的,不予采信,同样推定为是 / Whether the matter concerns children (涉及儿童的重大事项); when not stated, derived as true from a children's facility, the project kind, the plan's type (a children's plan, a childcare or education sector plan) or a policy topic; a stated `false` that such a value of the file denies is not believed and is derived the same way.
    pub concerns_children: Option<bool>,
    /// 决策日期 / The date the decision is to be taken.
    pub decision_date: Option<Date>,
    /// 是否新建(否则为改扩建) / Whether this is a new build (otherwise an extension or renovation).
    pub new_build: Option<bool>,
    /// 住宅交付日期(居住区项目;分期交付的,填首批住宅交付的日期) / When the housing is handed over, for residential projects (handed over in phases: the date the first housing is handed over).
    pub housing_delivery_date: Option<Date>,
    /// 规划条件是否要求本居住区配建幼儿园(居住区项目) / Whether the planning conditions require the residential district to include a kindergarten.
    pub kindergarten_required: Option<bool>,
    /// 建设单位或起草部门 / The applicant: developer, or the agency drafting a plan or policy.
    pub applicant: Option<String>,
    /// 点名项目所在的片区或地点(如 解放碑—朝天门商圈) / Named places the project lies in or is, as plans name them (e.g. a named park or business district).
    pub named_places: Option<Vec<String>>,
}

/// 项目类型 / The kind of project, plan or policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectKind {
    /// 居住区 / Residential district.
    Residential,
    /// 城市更新、老旧小区改造 / Urban renewal or renovation of an old residential community.
    UrbanRenewal,
    /// 托育机构 / Childcare centre for children under 3.
    Childcare,
    /// 幼儿园 / Kindergarten.
    Kindergarten,
    /// 中小学 / Primary or secondary school.
    School,
    /// 医院、妇幼保健院 / Hospital or maternal and child health hospital.
    Hospital,
    /// 社区卫生服务中心 / Community health centre.
    HealthCentre,
    /// 公园绿地 / Park or public green space.
    Park,
    /// 图书馆、文化馆、博物馆等公共文化场馆 / Public cultural venue: library, cultural centre, museum and the like.
    PublicVenue,
    /// 体育场馆 / Sports venue.
    SportsVenue,
    /// 商场、商圈 / Shopping centre or commercial district.
    Commercial,
    /// 街道、道路、慢行系统(街区更新为 urban_renewal) / Street, road or walking network (a block renewal is urban_renewal).
    Street,
    /// 交通枢纽 / Transport hub.
    TransportHub,
    /// 应急避难场所 / Emergency shelter.
    EmergencyShelter,
    /// 景区 / Scenic area.
    ScenicArea,
    /// 儿童福利、救助保护机构 / Child welfare or protection institution.
    WelfareInstitution,
    /// 社区服务综合体、党群服务中心 / Community service centre.
    CommunityCentre,
    /// 产业园区、用人单位 / Industrial park or workplace.
    IndustrialPark,
    /// 规划 / Plan.
    Plan,
    /// 政策 / Policy.
    Policy,
}

/// 项目阶段 / Project stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 立项 / Proposal.
    Proposal,
    /// 规划 / Planning.
    Planning,
    /// 设计 / Design.
    Design,
    /// 审批 / Approval.
    Approval,
    /// 施工 / Construction.
    Construction,
    /// 竣工验收 / Acceptance on completion.
    Acceptance,
    /// 运营 / Operation.
    Operation,
}

/// 用地 / The site.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// 地块名称 / Name of the site or plot.
    pub name: Option<String>,
    /// 用地面积 / Site area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub area_m2: Option<f64>,
    /// 绿地面积 / Green area on the site.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub green_area_m2: Option<f64>,
    /// 总建筑面积 / Total floor area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub floor_area_m2: Option<f64>,
    /// 儿童户外活动场地面积 / Outdoor area for children's activities.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub children_outdoor_area_m2: Option<f64>,
}

/// 服务人口 / The population served.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// 常住人口 / Resident population.
    #[schemars(extend("x-unit" = "persons"))]
    pub residents: Option<u32>,
    /// 户数 / Households.
    pub households: Option<u32>,
    /// 就业人员(用人单位、产业园区) / Employees, for workplaces and industrial parks.
    #[schemars(extend("x-unit" = "persons"))]
    pub employees: Option<u32>,
    /// 儿童人数(按年龄段) / Children, by age band.
    pub children: Option<Children>,
}

/// 儿童人数(按年龄段) / Children, by age band.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Children {
    /// 0–3 岁 / Aged 0 to 3.
    #[schemars(extend("x-unit" = "persons"))]
    pub age_0_3: Option<u32>,
    /// 3–6 岁 / Aged 3 to 6.
    #[schemars(extend("x-unit" = "persons"))]
    pub age_3_6: Option<u32>,
    /// 6–12 岁 / Aged 6 to 12.
    #[schemars(extend("x-unit" = "persons"))]
    pub age_6_12: Option<u32>,
    /// 12–18 岁 / Aged 12 to 18.
    #[schemars(extend("x-unit" = "persons"))]
    pub age_12_18: Option<u32>,
    /// 残疾儿童 / Children with disabilities.
    #[schemars(extend("x-unit" = "persons"))]
    pub disabled: Option<u32>,
}

/// 设施 / A facility the project provides.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// 设施编号 / The facility's id within this file.
    pub id: Option<String>,
    /// 设施类型 / The kind of facility.
    pub kind: FacilityKind,
    /// 设施名称 / The facility's name.
    pub name: Option<String>,
    /// 托位或学位数 / Places (childcare places, school places).
    #[schemars(extend("x-unit" = "places"))]
    pub places: Option<u32>,
    /// 床位数 / Beds.
    #[schemars(extend("x-unit" = "beds"))]
    pub beds: Option<u32>,
    /// 面积(场地或房间) / Area of the space or room.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub area_m2: Option<f64>,
    /// 建筑面积 / Floor area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub floor_area_m2: Option<f64>,
    /// 户外场地面积 / Outdoor area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub outdoor_area_m2: Option<f64>,
    /// 从服务范围最远住户的步行距离 / Walking distance from the farthest home served.
    #[schemars(range(min = 0), extend("x-unit" = "m"))]
    pub walking_distance_m: Option<f64>,
    /// 是否与住宅同步验收、同步交付使用 / Whether it is accepted and handed over together with the housing (同步验收、同步交付).
    pub delivered_with_housing: Option<bool>,
    /// 竣工验收日期 / Date of acceptance on completion.
    pub acceptance_date: Option<Date>,
    /// 交付使用日期 / Date it is handed over for use.
    pub delivery_date: Option<Date>,
    /// 是否普惠性 / Whether it is inclusive (普惠性, affordable public provision).
    pub inclusive: Option<bool>,
    /// 是否向公众开放 / Whether it is open to the public.
    pub public: Option<bool>,
    /// 是否无障碍 / Whether it is barrier-free.
    pub barrier_free: Option<bool>,
    /// 适用年龄段,如 "0-3" / Age groups served, such as "0-3".
    pub age_groups: Option<Vec<String>>,
    /// 服务对象 / Who the facility is for.
    pub audience: Option<Audience>,
    /// 设施特征 / Features of the facility.
    pub features: Option<Vec<FacilityFeature>>,
    /// 设施内包含的功能用房 / Rooms and spaces inside this facility.
    pub includes: Option<Vec<FacilityKind>>,
    /// 配备人员 / Staff.
    pub staff: Option<Staff>,
    /// 儿童厕位数(厕所、第三卫生间内) / Child-sized toilet stalls, in a toilet or family toilet.
    pub child_toilet_stalls: Option<u32>,
    /// 儿童洗手池数 / Washbasins at a child's height.
    pub child_washbasins: Option<u32>,
    /// 长度(步道、绿道、骑行道) / Length, of a trail, greenway or cycle path.
    #[schemars(range(min = 0), extend("x-unit" = "m"))]
    pub length_m: Option<f64>,
}

/// 设施类型 / Kind of facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FacilityKind {
    /// 托育机构、托育点 / Childcare centre for children under 3.
    ChildcareCentre,
    /// 社区托育点(宝宝屋) / Community childcare point ("宝宝屋").
    CommunityChildcarePoint,
    /// 幼儿园托班 / Nursery class for 2-to-3-year-olds in a kindergarten.
    NurseryClass,
    /// 幼儿园 / Kindergarten.
    Kindergarten,
    /// 小学 / Primary school.
    PrimarySchool,
    /// 初中 / Middle school.
    MiddleSchool,
    /// 儿童之家(社区儿童活动室,不是福利院) / Children's home: a community room for children (not a welfare home).
    ChildrenHome,
    /// 儿童服务中心(街镇级) / Children's service centre at sub-district level.
    ChildrenCentre,
    /// 儿童活动中心、少年宫 / Children's activity centre.
    ChildrenActivityCentre,
    /// 社区卫生服务中心 / Community health centre.
    CommunityHealthCentre,
    /// 乡镇卫生院 / Township health centre.
    TownshipHealthCentre,
    /// 儿童早期发展指导基地(室) / Early childhood development room.
    EarlyDevelopmentRoom,
    /// 儿童活动场地 / Children's play area.
    PlayArea,
    /// 儿童友好空间、体验性场景 / Themed children's space or experience setting.
    ChildrenActivitySpace,
    /// 儿童体育活动区、运动器材 / Children's sports area or equipment.
    ChildrenSportsArea,
    /// 体育场地(学校或社会) / Sports ground, at a school or open to all.
    SportsGround,
    /// 母婴室 / Mother-and-baby room.
    MotherBabyRoom,
    /// 第三卫生间(家庭卫生间) / Family toilet (第三卫生间).
    FamilyToilet,
    /// 儿童厕位 / Child-sized toilet.
    ChildToilet,
    /// 儿童洗手池 / Child-height hand-wash basin.
    ChildHandwash,
    /// 公共厕所 / Public toilet.
    PublicToilet,
    /// 资源教室 / Resource room for special education.
    ResourceRoom,
    /// 特殊教育教室 / Special-education classroom.
    SpecialEducationClassroom,
    /// 特色功能性教室(艺术、科学等) / Specialised classroom (art, science and the like).
    SpecialisedClassroom,
    /// 心理健康辅导室 / Counselling room.
    CounsellingRoom,
    /// 儿童阅览室、少儿图书馆 / Children's reading room or library.
    ChildrenReadingRoom,
    /// 公共电子阅览室 / Public e-reading room.
    PublicEReadingRoom,
    /// 儿童专用急救设施设备 / First-aid equipment for children.
    ChildFirstAid,
    /// 家庭教育指导服务站 / Family-education guidance station.
    FamilyEducationStation,
    /// 研学实践基地 / Study and practice base for students.
    StudyBase,
    /// 未成年人保护工作站 / Minor-protection workstation.
    MinorProtectionStation,
    /// 社会工作服务站 / Social-work station.
    SocialWorkStation,
    /// 生活养育用房 / Living and care rooms of a welfare institution.
    CareLivingUnit,
    /// 康复训练用房 / Rehabilitation room.
    RehabilitationRoom,
    /// 社区活动室 / Community activity room.
    CommunityActivityRoom,
    /// 社区公共绿地 / Community green space.
    CommunityGreen,
    /// 健身点、健身苑 / Fitness point.
    FitnessPoint,
    /// 休闲游步道 / Walking trail.
    WalkingTrail,
    /// 自行车道 / Cycle path.
    CyclePath,
    /// 自然体验点 / Nature-experience spot.
    NatureExperience,
    /// 科普研学馆 / Science-learning hall.
    ScienceLearning,
    /// 服务驿站 / Service station or rest stop for families.
    ServiceStation,
    /// 休憩空间 / Rest area.
    RestArea,
    /// 接送等候区、接送车位 / Pick-up and waiting area or drop-off bays outside a school.
    PickUpArea,
    /// 儿童候诊区(医院、卫生服务中心内) / Children's waiting area, in a hospital or health centre.
    ChildrenWaitingArea,
    /// 项目内公园(含口袋公园、小游园) / Park inside the project (pocket parks and gardens included).
    Park,
    /// 其他 / Something else.
    Other,
}

/// 设施的服务对象 / Who a facility is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// 社会公众 / The public.
    Public,
    /// 本单位职工 / The employer's own staff.
    Employees,
    /// 本小区居民 / Residents of the development.
    Residents,
    /// 本校学生 / The school's students.
    Students,
}

/// 设施特征 / A feature of a facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FacilityFeature {
    /// 私密、可上锁 / Private and lockable.
    Private,
    /// 独立设置的功能区 / A separate area of its own.
    SeparateArea,
    /// 儿童专用 / For children only.
    ChildrenOnly,
    /// 婴儿护理台 / Baby-changing table.
    BabyChangingTable,
    /// 安全缓冲铺装 / Impact-absorbing safety surfacing.
    SafetySurfacing,
    /// 与车行道、停车场、水体隔离 / Separated from traffic, parking and water.
    SeparatedFromTraffic,
    /// 看护人座椅 / Seating for carers.
    CaregiverSeating,
    /// 遮阴 / Shade.
    Shade,
    /// 儿童尺度、适儿化设计 / Designed at a child's scale.
    ChildScale,
    /// 自然材料、自然元素 / Natural materials and elements.
    NaturalMaterials,
    /// 全龄共享 / Shared by all ages.
    AllAges,
    /// 家庭式居所(福利机构内按家庭规模设置的生活单元) / Family-style home: living quarters of a welfare institution laid out for a household.
    FamilyStyle,
}

/// 设施配备人员 / Staff of a facility.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// 专业从事儿童保健的医生 / Doctors working in child health care.
    #[schemars(extend("x-unit" = "persons"))]
    pub child_health_doctors: Option<u32>,
    /// 儿科执业(助理)医师 / Paediatric (assistant) physicians.
    #[schemars(extend("x-unit" = "persons"))]
    pub paediatricians: Option<u32>,
    /// 特教教师 / Special-education teachers.
    #[schemars(extend("x-unit" = "persons"))]
    pub special_ed_teachers: Option<u32>,
    /// 心理健康教师 / Mental-health teachers or counsellors.
    #[schemars(extend("x-unit" = "persons"))]
    pub counsellors: Option<u32>,
    /// 保育、照护人员 / Carers.
    #[schemars(extend("x-unit" = "persons"))]
    pub carers: Option<u32>,
    /// 提供儿童基本医疗服务的全科医生 / General practitioners providing basic medical care for children.
    #[schemars(extend("x-unit" = "persons"))]
    pub gps_for_children: Option<u32>,
}

/// 建筑 / The building.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Building {
    /// 建筑面积 / Floor area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub floor_area_m2: Option<f64>,
    /// 日均客流 / Average daily visitors.
    #[schemars(extend("x-unit" = "persons"))]
    pub daily_visitors: Option<u32>,
    /// 建筑用途(商业类项目):商场、办公、酒店或混合 / What a commercial building is used for: retail, offices, a hotel or mixed.
    #[serde(rename = "use")]
    pub building_use: Option<BuildingUse>,
    /// 无障碍设施是否完备 / Whether barrier-free access is complete.
    pub barrier_free: Option<bool>,
    /// 已有的无障碍设施 / Barrier-free provisions in place.
    pub accessibility: Option<Vec<Accessibility>>,
    /// 是否有适儿化标识系统 / Whether signage is designed for children (适儿化标识).
    pub child_friendly_signage: Option<bool>,
    /// 安防监控是否覆盖儿童活动区域、无盲点 / Whether security cameras cover the areas children use, with no blind spots.
    pub cctv_covers_children_areas: Option<bool>,
    /// 室内是否全面禁烟 / Whether the building is entirely smoke-free.
    pub smoke_free: Option<bool>,
}

/// 建筑用途 / What a commercial building is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BuildingUse {
    /// 商场、商业综合体 / Retail: a shopping centre or mixed retail complex open to the public.
    Retail,
    /// 办公楼 / Offices: a workplace, not open to the public.
    Office,
    /// 酒店 / A hotel.
    Hotel,
    /// 商业与办公等混合 / Mixed: retail with offices or other uses.
    Mixed,
}

/// 无障碍设施 / A barrier-free provision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Accessibility {
    /// 无障碍出入口 / Step-free entrance.
    StepFreeEntrance,
    /// 无障碍卫生间 / Accessible toilet.
    AccessibleToilet,
    /// 无障碍电梯 / Accessible lift.
    Lift,
    /// 盲道 / Tactile paving.
    TactilePaving,
    /// 无障碍停车位 / Accessible parking.
    AccessibleParking,
    /// 低位服务设施 / Low counters and fittings.
    LowFittings,
}

/// 学校信息 / School details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct School {
    /// 学段 / School levels taught.
    pub levels: Option<Vec<SchoolLevel>>,
    /// 在校学生 / Students enrolled.
    #[schemars(extend("x-unit" = "persons"))]
    pub students: Option<u32>,
    /// 招收的残疾学生 / Students with disabilities enrolled.
    #[schemars(extend("x-unit" = "persons"))]
    pub disabled_students: Option<u32>,
    /// 特教教师 / Special-education teachers.
    #[schemars(extend("x-unit" = "persons"))]
    pub special_ed_teachers: Option<u32>,
    /// 心理健康教师 / Mental-health teachers.
    #[schemars(extend("x-unit" = "persons"))]
    pub mental_health_teachers: Option<u32>,
    /// 是否设心理健康辅导室 / Whether there is a counselling room.
    pub psych_counselling_room: Option<bool>,
    /// 是否提供课后服务 / Whether after-school services are offered.
    pub after_school_service: Option<bool>,
    /// 是否建立家长学校 / Whether a parents' school is set up.
    pub parent_school: Option<bool>,
    /// 每学期安全教育主题活动次数 / Safety-education sessions per term.
    pub safety_sessions_per_term: Option<u32>,
    /// 体育场地是否向社会开放 / Whether sports grounds are open to the public.
    pub sports_grounds_open: Option<bool>,
    /// 托班数(幼儿园) / Nursery classes, for kindergartens.
    pub nursery_classes: Option<u32>,
    /// 班级数 / Classes in all.
    pub classes: Option<u32>,
    /// 每日户外活动时间(幼儿园) / Daily outdoor activity, for kindergartens.
    #[schemars(range(min = 0), extend("x-unit" = "h"))]
    pub daily_outdoor_activity_h: Option<f64>,
    /// 每日校内体育活动时间 / Daily physical activity at school.
    #[schemars(range(min = 0), extend("x-unit" = "h"))]
    pub daily_pe_in_school_h: Option<f64>,
    /// 课间休息时长 / Length of the break between lessons.
    #[schemars(range(min = 0), extend("x-unit" = "min"))]
    pub recess_min: Option<f64>,
    /// 每年儿童安全出行教育次数 / Road-safety sessions on getting to school safely, per year.
    pub travel_safety_sessions_per_year: Option<u32>,
    /// 每年防灾减灾宣教活动和消防演练次数 / Disaster-prevention sessions and fire drills per year.
    pub disaster_drills_per_year: Option<u32>,
    /// 是否落实食品安全校(园)长负责制 / Whether the head answers in person for food safety.
    pub food_safety_head_responsible: Option<bool>,
    /// 是否建立校园膳食监督家长委员会 / Whether a parents' committee oversees school meals.
    pub meal_parent_committee: Option<bool>,
}

/// 学段 / School level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SchoolLevel {
    /// 学前 / Pre-school.
    Preschool,
    /// 小学 / Primary.
    Primary,
    /// 初中 / Middle school.
    Middle,
    /// 高中 / High school.
    High,
    /// 中等职业 / Secondary vocational.
    Vocational,
    /// 特殊教育 / Special education.
    Special,
}

/// 医疗机构信息 / Hospital or health-centre details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hospital {
    /// 儿科床位 / Paediatric beds.
    #[schemars(extend("x-unit" = "beds"))]
    pub paediatric_beds: Option<u32>,
    /// 儿科执业(助理)医师 / Paediatric (assistant) physicians.
    #[schemars(extend("x-unit" = "persons"))]
    pub paediatricians: Option<u32>,
    /// 专业从事儿童保健的医生 / Doctors working in child health care.
    #[schemars(extend("x-unit" = "persons"))]
    pub child_health_doctors: Option<u32>,
    /// 是否有儿童友好就医环境设计 / Whether the care environment is designed for children.
    pub child_friendly_environment: Option<bool>,
}

/// 公园绿地信息 / Park details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Park {
    /// 公园类别 / Category of park.
    pub category: Option<ParkCategory>,
}

/// 公园类别 / Category of park.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParkCategory {
    /// 综合公园 / City or district park.
    Comprehensive,
    /// 社区公园 / Community park.
    Community,
    /// 口袋公园、街头游园 / Pocket park or street garden.
    Pocket,
    /// 郊野公园 / Country park.
    Country,
    /// 体育公园 / Sports park.
    Sports,
    /// 专类公园 / Theme park or specialised park.
    Specialised,
    /// 儿童公园 / Children's park.
    Children,
    /// 绿道、滨水空间 / Greenway or waterfront.
    Greenway,
    /// 防护绿地 / Protective green belt (not for public use).
    ProtectiveGreen,
}

/// 城市更新信息 / Urban-renewal details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Renewal {
    /// 更新类型 / Kind of renewal.
    pub kind: Option<RenewalKind>,
}

/// 城市更新类型 / Kind of urban renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RenewalKind {
    /// 老旧小区改造 / Renovation of an old residential community.
    OldCommunity,
    /// 街区更新 / Street or block renewal.
    Block,
    /// 公共空间微更新 / Small-scale renewal of public space.
    PublicSpace,
    /// 工业区、商业区更新 / Renewal of an industrial or commercial area.
    Industrial,
    /// 未来社区 / "Future community" (Zhejiang).
    FutureCommunity,
    /// 闲置用房、校舍改作他用 / Reuse of idle buildings or school premises.
    BuildingReuse,
}

/// 公共场馆信息 / Public venue details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    /// 场馆类型 / Type of venue.
    #[serde(rename = "type")]
    pub venue_type: Option<VenueType>,
    /// 产权性质 / Ownership.
    pub ownership: Option<Ownership>,
    /// 儿童票价 / Admission for children.
    pub child_admission: Option<Admission>,
    /// 是否错时、延时开放 / Whether opening hours are staggered or extended for children.
    pub extended_hours: Option<bool>,
}

/// 场馆类型 / Type of public venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VenueType {
    /// 图书馆 / Library.
    Library,
    /// 博物馆 / Museum.
    Museum,
    /// 美术馆 / Art gallery.
    ArtGallery,
    /// 科技馆 / Science museum.
    ScienceMuseum,
    /// 文化馆(站) / Cultural centre.
    CulturalCentre,
    /// 剧院、音乐厅 / Theatre or concert hall.
    Theatre,
    /// 展览馆 / Exhibition hall.
    Exhibition,
    /// 青少年宫、青少年活动中心 / Youth centre.
    YouthCentre,
    /// 体育场馆 / Sports venue.
    SportsVenue,
}

/// 产权性质 / Ownership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    /// 公办 / Public.
    Public,
    /// 民办 / Private.
    Private,
    /// 混合 / Mixed.
    Mixed,
}

/// 儿童票价 / Admission for children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Admission {
    /// 免费 / Free.
    Free,
    /// 优惠 / Reduced.
    Reduced,
    /// 全价 / Full price.
    Standard,
}

/// 儿童福利、救助保护机构信息 / Child welfare or protection institution details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Welfare {
    /// 机构类型 / Type of institution.
    #[serde(rename = "type")]
    pub welfare_type: Option<WelfareType>,
}

/// 儿童福利、救助保护机构类型 / Type of child welfare or protection institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WelfareType {
    /// 儿童福利院 / Child welfare home.
    ChildWelfareHome,
    /// 未成年人救助保护中心 / Minor rescue and protection centre.
    MinorProtectionCentre,
    /// 残疾儿童康复机构 / Rehabilitation institution for disabled children.
    RehabilitationInstitution,
}

/// 街区、道路信息 / Street details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Street {
    /// 道路等级 / Road class.
    pub road_class: Option<RoadClass>,
    /// 已有的慢行、安全设施和适儿化标识标牌 / Street features in place: walking and cycling provisions, safety features and signage for children.
    pub features: Option<Vec<StreetFeature>>,
}

/// 街道慢行与安全设施 / A walking, cycling or safety provision of a street.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StreetFeature {
    /// 连续的人行道 / Continuous footway.
    ContinuousSidewalk,
    /// 独立的非机动车道 / Separate cycle lane.
    SeparatedCycleLane,
    /// 无障碍过街设施 / Barrier-free crossings.
    BarrierFreeCrossings,
    /// 无障碍公交站台 / Accessible bus stops.
    AccessibleBusStops,
    /// 交通稳静化措施 / Traffic calming.
    TrafficCalming,
    /// 安全上学路径、步行巴士 / Safe route to school or walking bus.
    SafeRouteToSchool,
    /// 适儿化标识 / Signage designed for children.
    ChildFriendlySignage,
}

/// 周边环境 / Surroundings.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Surroundings {
    /// 校门及其临近道路 / School gates and the roads they open onto.
    pub school_gates: Option<Vec<SchoolGate>>,
    /// 儿童聚集场所周边的风险源 / Hazards near where children gather.
    pub hazards: Option<Vec<Hazard>>,
    /// 周边已有的服务设施 / Facilities already in place nearby.
    pub existing_facilities: Option<Vec<ExistingFacility>>,
}

/// 周边已有的设施 / A facility already in place nearby.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExistingFacility {
    /// 设施类型 / Kind of facility.
    pub kind: FacilityKind,
    /// 名称 / Name.
    pub name: Option<String>,
    /// 步行距离 / Walking distance.
    #[schemars(range(min = 0), extend("x-unit" = "m"))]
    pub walking_distance_m: Option<f64>,
    /// 是否在同一社区 / Whether it is in the same community.
    pub same_community: Option<bool>,
    /// 是否属于项目所在的学校、园区或场地本身(如学校另一栋楼里的资源教室、公园里保留的游戏场) / Whether it is part of the school, campus or site the project is on (a resource room in another building of the school, a play area the park keeps).
    pub on_site: Option<bool>,
    /// 托位或学位数(已有设施现有的) / Places the facility has (childcare places, school places).
    #[schemars(extend("x-unit" = "places"))]
    pub places: Option<u32>,
}

/// 校门 / A school gate.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchoolGate {
    /// 校门所属的儿童场所 / The kind of children's site the gate belongs to.
    pub site_kind: Option<GateSite>,
    /// 临近道路名称 / The road the gate opens onto.
    pub road: Option<String>,
    /// 道路等级 / Class of that road.
    pub road_class: Option<RoadClass>,
    /// 限速 / Speed limit.
    #[schemars(range(min = 0), extend("x-unit" = "km/h"))]
    pub speed_limit_kmh: Option<f64>,
    /// 交通稳静化措施 / Traffic-calming measures in place.
    pub traffic_calming: Option<Vec<TrafficCalming>>,
    /// 50 米内是否有人行横道 / Whether there is a pedestrian crossing within 50 m.
    pub crosswalk_within_50m: Option<bool>,
    /// 到最近人行横道的距离 / Distance to the nearest pedestrian crossing.
    #[schemars(range(min = 0), extend("x-unit" = "m"))]
    pub crosswalk_distance_m: Option<f64>,
    /// 是否有连续的人行道 / Whether the footway is continuous.
    pub continuous_sidewalk: Option<bool>,
    /// 是否设接送等候区 / Whether there is a pick-up and waiting area.
    pub pick_up_area: Option<bool>,
}

/// 校门所属的儿童场所 / The kind of children's site a gate belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GateSite {
    /// 托育机构 / Childcare centre.
    Childcare,
    /// 幼儿园 / Kindergarten.
    Kindergarten,
    /// 中小学 / School.
    School,
    /// 儿童校外活动场所 / Children's out-of-school venue.
    ChildrenVenue,
}

/// 道路等级 / Road class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoadClass {
    /// 快速路 / Expressway.
    Expressway,
    /// 主干路 / Arterial road.
    Arterial,
    /// 次干路 / Secondary road.
    Secondary,
    /// 支路 / Branch road.
    Branch,
    /// 街坊路、小区道路 / Local street.
    Local,
    /// 步行道、梯道,无机动车通行 / Pedestrian-only way (footpath, stairway), no motor vehicles.
    Pedestrian,
}

/// 交通稳静化措施 / Traffic-calming measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrafficCalming {
    /// 减速带 / Speed hump.
    SpeedHump,
    /// 抬高式人行横道 / Raised crossing.
    RaisedCrossing,
    /// 车道收窄 / Lane narrowing.
    LaneNarrowing,
    /// 彩色铺装、警示标线 / Coloured surfacing and warning markings.
    WarningMarkings,
    /// 学校区域限速标志 / School-zone speed signs.
    SchoolZoneSigns,
    /// 爱心斑马线、护学岗 / Guarded crossing ("爱心斑马线", crossing guards).
    GuardedCrossing,
}

/// 风险源 / A hazard near where children gather.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hazard {
    /// 风险类型 / Kind of hazard.
    pub kind: HazardKind,
    /// 与儿童活动场所的距离 / Distance from where children gather.
    #[schemars(range(min = 0), extend("x-unit" = "m"))]
    pub distance_m: Option<f64>,
    /// 是否已采取防护措施 / Whether protection is in place.
    pub mitigated: Option<bool>,
}

/// 风险类型 / Kind of hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// 开放水体 / Open water.
    Water,
    /// 加油站、危险品 / Filling station or dangerous goods.
    DangerousGoods,
    /// 施工工地 / Construction site.
    Construction,
    /// 高压线、变电站 / Power line or substation.
    Power,
    /// 网吧、娱乐场所 / Internet café or entertainment venue.
    Entertainment,
    /// 其他 / Something else.
    Other,
}

/// 儿童参与记录 / A record of hearing children and guardians.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    /// 日期 / Date.
    pub date: Option<Date>,
    /// 方式 / Method.
    pub method: Option<ParticipationMethod>,
    /// 参与儿童人数 / Children who took part.
    #[schemars(extend("x-unit" = "persons"))]
    pub children: Option<u32>,
    /// 儿童年龄范围,如 "8-14" / Ages of the children, such as "8-14".
    pub ages: Option<String>,
    /// 参与的监护人人数 / Guardians who took part.
    #[schemars(extend("x-unit" = "persons"))]
    pub guardians: Option<u32>,
    /// 是否公开反馈意见采纳情况 / Whether a response to what was said was published.
    pub response_published: Option<bool>,
    /// 主题 / Topic.
    pub topic: Option<String>,
    /// 参与所处环节 / The step of the process children took part in.
    pub stage: Option<ParticipationStage>,
}

/// 儿童参与的环节 / Step of the process children take part in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipationStage {
    /// 需求表达 / Stating needs.
    Needs,
    /// 方案制定 / Drawing up the proposal.
    Design,
    /// 决策公示 / Decision and publication.
    Decision,
    /// 评估反馈 / Evaluation and feedback.
    Evaluation,
}

/// 参与方式 / Method of participation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipationMethod {
    /// 工作坊 / Workshop.
    Workshop,
    /// 问卷调查 / Survey.
    Survey,
    /// 听证会、座谈会 / Hearing or panel discussion.
    Hearing,
    /// 访谈 / Interviews.
    Interview,
    /// 儿童议事会、红领巾理事会 / Children's council.
    ChildrenCouncil,
    /// 现场踏勘 / Site visit with children.
    SiteVisit,
    /// 其他 / Something else.
    Other,
}

/// 证明材料 / An evidence document on file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// 材料类型 / Kind of document.
    pub kind: EvidenceKind,
    /// 标题 / Title.
    pub title: Option<String>,
    /// 日期 / Date.
    pub date: Option<Date>,
    /// 出具单位 / Issued by.
    pub issuer: Option<String>,
    /// 声明遵循的导则或标准名称(kind 为 guideline_compliance 时) / The guideline or standard complied with, for `guideline_compliance`.
    pub guideline: Option<String>,
    /// 规划文件点名的导则或政策(可代替按名称匹配) / A guideline or policy that the plans name, chosen from a list (instead of matching its name).
    pub guideline_id: Option<GuidelineId>,
}

/// 规划文件点名的导则或政策 / A guideline or policy that the plans name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GuidelineId {
    /// 城镇小区配套幼儿园政策 / The policy on kindergartens serving urban residential districts.
    ResidentialKindergartenPolicy,
    /// 《上海市公园城市规划建设导则》 / The Shanghai park-city planning and construction guideline.
    ShanghaiParkCityGuideline,
    /// 《上海市慢行交通规划设计导则》 / The Shanghai slow-traffic planning and design guideline.
    ShanghaiSlowTrafficGuideline,
    /// 《上海市“15分钟社区生活圈”行动工作导引》 / The Shanghai 15-minute community life circle guide.
    ShanghaiCommunityLifeCircleGuide,
    /// “健康教室”建设标准 / The 'healthy classroom' (健康教室) standard.
    HealthyClassroomStandard,
}

/// 证明材料类型 / Kind of evidence document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// 儿童影响评价报告 / Children's impact assessment report.
    ChildImpactAssessment,
    /// 儿童参与报告 / Report on children's participation.
    ParticipationReport,
    /// 遵循导则、标准的声明 / Statement of compliance with a named guideline or standard.
    GuidelineCompliance,
    /// 安全评估 / Safety assessment.
    SafetyAssessment,
    /// 交通影响评价 / Traffic impact assessment.
    TrafficAssessment,
    /// 无障碍审查 / Accessibility review.
    AccessibilityReview,
    /// 环境影响评价 / Environmental impact assessment.
    EnvironmentalAssessment,
    /// 适儿化设计说明 / Statement of child-friendly design.
    ChildFriendlyDesignStatement,
    /// 安全应急预案 / Safety and emergency plan.
    SafetyEmergencyPlan,
    /// 儿童需求调研报告 / Survey of children's needs.
    ChildrenNeedsSurvey,
    /// 竣工验收记录 / Acceptance record.
    AcceptanceRecord,
    /// 儿童应急物资清单 / List of emergency supplies for children.
    ChildEmergencySupplies,
    /// 游乐设施安全检验合格证明 / Safety certificate for play equipment.
    PlaySafetyCertificate,
    /// 校园周边交通组织方案 / Traffic plan around a school.
    SchoolTrafficPlan,
    /// 其他 / Something else.
    Other,
}

/// 规划或政策文件的内容 / What a plan or policy contains.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// 规划层级 / Level of the plan.
    pub level: Option<PlanLevel>,
    /// 规划类型 / Type of plan.
    pub plan_type: Option<PlanType>,
    /// 编制范围:整体编制或局部调整 / Whether the file is a whole plan or a partial amendment.
    pub amendment_scope: Option<AmendmentScope>,
    /// 行业领域(专项规划) / Sector, for sector plans.
    pub sector: Option<PlanSector>,
    /// 规划期起始年份 / First year of the plan period.
    pub start_year: Option<u32>,
    /// 规划期末年份 / Last year of the plan period.
    pub horizon_year: Option<u32>,
    /// 牵头部门 / Lead department.
    pub lead_department: Option<String>,
    /// 文件包含的内容 / What the document contains.
    pub contents: Option<Vec<PlanContent>>,
    /// 为儿童服务设施预留的用地面积 / Land reserved for children's facilities.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub children_facility_land_m2: Option<f64>,
    /// 规划预留的设施用地 / Land the plan reserves for facilities, one entry per kind.
    pub land_reservations: Option<Vec<LandReservation>>,
}

/// 规划预留的设施用地 / Land a plan reserves for a kind of facility.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LandReservation {
    /// 设施类型 / Kind of facility.
    pub facility_kind: FacilityKind,
    /// 用地面积 / Land area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub area_m2: Option<f64>,
    /// 规划的托位或学位 / Places planned.
    #[schemars(extend("x-unit" = "places"))]
    pub places: Option<u32>,
    /// 是否优先安排 / Whether it is given priority.
    pub priority: Option<bool>,
}

/// 专项规划的行业领域 / Sector of a sector plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanSector {
    /// 教育 / Education.
    Education,
    /// 卫生健康 / Health.
    Health,
    /// 民政 / Civil affairs.
    CivilAffairs,
    /// 体育 / Sports.
    Sports,
    /// 文化 / Culture.
    Culture,
    /// 公园绿地 / Parks and green space.
    ParksGreen,
    /// 交通 / Transport.
    Transport,
    /// 城市基础设施 / Urban infrastructure.
    UrbanInfrastructure,
    /// 公共服务 / Public services.
    PublicServices,
    /// 托育服务 / Childcare services.
    Childcare,
    /// 应急管理 / Emergency management.
    Emergency,
    /// 商业 / Commerce.
    Commerce,
}

/// 编制范围 / Whether a plan is drawn up as a whole or amended in part (控规局部调整).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AmendmentScope {
    /// 整体编制或修编 / The whole plan, drawn up or revised.
    Whole,
    /// 局部调整,涉及居住用地或儿童服务设施用地 / A partial amendment that changes residential
    /// land or land for children's facilities.
    PartialResidential,
    /// 局部调整,不涉及居住用地和儿童服务设施用地 / A partial amendment that changes neither
    /// residential land nor land for children's facilities.
    PartialOther,
}

/// 规划层级 / Level of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanLevel {
    /// 省级 / Province.
    Province,
    /// 市级 / City.
    City,
    /// 区县级 / District or county.
    District,
    /// 街道乡镇级 / Sub-district or town.
    Subdistrict,
}

/// 规划类型 / Type of plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanType {
    /// 国民经济和社会发展规划 / Economic and social development plan (e.g. 十五五).
    Development,
    /// 国土空间规划 / Territorial spatial plan.
    Spatial,
    /// 专项规划 / Sector plan (education, health, transport …).
    Sector,
    /// 儿童发展规划、儿童友好行动计划 / Children's development plan or child-friendly action plan.
    Children,
    /// 详细规划、控制性详细规划 / Detailed plan.
    Detailed,
    /// 区域规划 / Regional plan.
    Regional,
    /// 年度用地计划 / Annual land-use plan.
    AnnualLandUse,
}

/// 规划或政策包含的内容 / Something a plan or policy contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanContent {
    /// 儿童友好专章专节 / A chapter or section on child-friendliness.
    ChildFriendlyChapter,
    /// 儿童服务设施用地 / Land for children's facilities.
    ChildrenFacilityLand,
    /// 儿童影响评价机制 / A children's impact assessment mechanism.
    ChildImpactAssessment,
    /// 儿童参与机制 / A mechanism for children's participation.
    ChildParticipation,
    /// 监测评估 / Monitoring and evaluation.
    MonitoringEvaluation,
    /// 经费保障 / Funding.
    Funding,
    /// 儿童友好项目库 / A list of child-friendly projects.
    ProjectList,
    /// 儿童发展需求分析 / An analysis of children's needs.
    ChildrenNeeds,
    /// 儿童友好空间布局 / A layout of child-friendly spaces.
    ChildrenSpaces,
    /// 年度任务清单 / An annual task list.
    AnnualTasks,
    /// 统筹协调机制 / A coordination mechanism.
    Coordination,
    /// “15分钟文化圈” / A 15-minute culture circle.
    CultureCircle,
    /// “15分钟健身圈” / A 15-minute fitness circle.
    FitnessCircle,
    /// 家庭教育阵地 / Places for family education.
    FamilyEducation,
    /// 儿童应急物资储备 / Emergency supplies for children.
    ChildEmergencySupplies,
    /// 未成年人保护 / Protection of minors.
    MinorProtection,
    /// 托育服务 / Childcare services.
    ChildcareServices,
}

/// 政策条款 / Provisions of a policy.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// 政策涉及的事项 / What the policy is about.
    pub topics: Option<Vec<PolicyTopic>>,
    /// 量化的政策条款,每项一条 / Quantified provisions, one entry each.
    pub provisions: Option<Vec<Provision>>,
}

/// 政策涉及的事项 / What a policy is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyTopic {
    /// 医疗保障 / Medical insurance.
    MedicalInsurance,
    /// 医疗服务价格 / Pricing of medical services.
    MedicalPricing,
    /// 学校作息 / School timetables.
    SchoolSchedule,
    /// 困境儿童保障 / Support for children in difficulty.
    ChildrenInDifficulty,
    /// 孤儿保障 / Support for orphans.
    Orphans,
    /// 托育服务 / Childcare.
    Childcare,
    /// 教育 / Education.
    Education,
}

/// 一项量化的政策条款;数值的单位由条款类型决定 / A quantified provision; the unit of its value follows from its kind.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// 条款类型 / Kind of provision.
    pub kind: ProvisionKind,
    /// 数值,按条款类型的单位(比例按百分数:85% 写 85) / The value, in the unit of its kind (a share in per cent: 85 for 85%).
    pub value: Option<f64>,
    /// 调整前的数值,单位同 value / The value before this policy, in the unit of value.
    pub previous_value: Option<f64>,
    /// 参照值(如全省、全市平均),单位同 value / A reference value, such as the provincial or city average, in the unit of value.
    pub reference_value: Option<f64>,
    /// 本政策未调整此项,只列明现行标准(以便与本政策调整的条款对照) / This policy leaves the value as it is: it is stated as the standard in force, to be read beside the provisions the policy changes.
    pub unchanged: Option<bool>,
    /// 列出的项目(如病种),按政策原文的名称;仅供阅读,规则不据以判定,病种在 conditions 中注明 / Items listed, such as diseases, named as the policy names them; read by people only, never by the rules: state the diseases in conditions.
    pub items: Option<Vec<String>>,
    /// 条款覆盖的病种(如门诊特殊病种),按统一名称列出;列出即表明所覆盖的就是这些 / Conditions the provision covers (such as special outpatient diseases), by their common names; the list states which of these it covers.
    pub conditions: Option<Vec<MedicalCondition>>,
    /// 此前规定已覆盖、本政策未改变的病种(只增补目录的政策在此注明原有病种) / Conditions earlier rules already cover and this policy leaves as they are (a policy that only adds to a list states the list in force here).
    pub conditions_in_force: Option<Vec<MedicalCondition>>,
}

/// 病种 / A medical condition a provision may cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MedicalCondition {
    /// 癫痫 / Epilepsy.
    Epilepsy,
    /// 儿童孤独症 / Childhood autism.
    ChildhoodAutism,
    /// 脑性瘫痪 / Cerebral palsy.
    CerebralPalsy,
    /// 白血病 / Leukaemia.
    Leukaemia,
    /// 先天性心脏病 / Congenital heart disease.
    CongenitalHeartDisease,
    /// 血友病 / Haemophilia.
    Haemophilia,
    /// 1型糖尿病 / Type 1 diabetes.
    #[serde(rename = "type_1_diabetes")]
    Type1Diabetes,
}

/// 政策条款类型 / Kind of policy provision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionKind {
    /// 儿童参保个人缴费补贴比例(%) / Share of children's insurance contributions subsidised (%).
    ChildInsuranceSubsidyShare,
    /// 幼儿园每日户外活动时间(小时) / Daily outdoor activity in kindergartens (hours).
    KindergartenDailyOutdoorHours,
    /// 中小学每日校内体育活动时间(小时) / Daily physical activity at school (hours).
    SchoolDailyPeHours,
    /// 课间休息时长(分钟) / Break between lessons (minutes).
    SchoolRecessMinutes,
    /// 困境儿童基本生活补贴(元/月) / Basic allowance for children in difficulty (yuan per month).
    AllowanceChildrenInDifficulty,
    /// 机构养育孤儿保障标准(元/月) / Allowance for orphans in institutions (yuan per month).
    AllowanceOrphansInstitutional,
    /// 社会散居孤儿保障标准(元/月) / Allowance for orphans living in the community (yuan per month).
    AllowanceOrphansScattered,
    /// 事实无人抚养儿童保障标准(元/月) / Allowance for de facto unsupported children (yuan per month).
    AllowanceUnsupportedChildren,
    /// 儿科适宜技术纳入收费项目数 / Paediatric techniques added to the list of priced services (count).
    PaediatricTechniques,
    /// 门诊特殊病种 / Special outpatient diseases covered.
    OutpatientSpecialDiseases,
    /// 残疾学生人均公用经费标准(元/生·年) / Public funding per student with disabilities, for costs other than staff, in yuan per student a year.
    PublicFundingPerDisabledStudent,
    /// 随迁子女在公办学校接受义务教育的比例(%) / Share of migrant children in compulsory education who attend public schools (%).
    MigrantChildrenPublicSchoolShare,
}

impl ProvisionKind {
    /// The unit its values (`value`, `previous_value`, `reference_value`) are written in, by its
    /// symbol in [`crate::project::units::UNITS`]; `None` for a count or a sum of money, which the
    /// units table has no unit for. The model's unit table for the one kind of field whose unit
    /// its record's kind decides: a new kind must say its unit here (the match has no default).
    pub fn unit(self) -> Option<&'static str> {
        match self {
            ProvisionKind::ChildInsuranceSubsidyShare
            | ProvisionKind::MigrantChildrenPublicSchoolShare => Some("%"),
            ProvisionKind::KindergartenDailyOutdoorHours | ProvisionKind::SchoolDailyPeHours => {
                Some("h")
            }
            ProvisionKind::SchoolRecessMinutes => Some("min"),
            ProvisionKind::AllowanceChildrenInDifficulty
            | ProvisionKind::AllowanceOrphansInstitutional
            | ProvisionKind::AllowanceOrphansScattered
            | ProvisionKind::AllowanceUnsupportedChildren
            | ProvisionKind::PaediatricTechniques
            | ProvisionKind::OutpatientSpecialDiseases
            | ProvisionKind::PublicFundingPerDisabledStudent => None,
        }
    }
}

/// 规划承诺的指标 / An indicator a plan commits to.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// 指标编号(规则包中声明的编号) / Indicator id, as the rule packs declare them.
    pub indicator: String,
    /// 目标值,按指标的单位 / Target value, in the indicator's unit.
    pub value: f64,
    /// 目标年份 / Year by which the value is to be reached.
    #[schemars(range(min = 2000, max = 2100))]
    pub year: u32,
}

/// 经批准的豁免 / An approved waiver of a rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// 被豁免的规则编号 / The rule waived.
    pub rule: Option<String>,
    /// 被豁免条款的来源(与 clause 一起,豁免引用该条款的所有规则) / Source of the clause waived (with `clause`: every rule citing that clause).
    pub source: Option<String>,
    /// 被豁免的条款 / The clause waived.
    pub clause: Option<String>,
    /// 只豁免这一路径下的问题,如 facilities / Only findings at or under this YAML path, such as facilities.
    pub scope: Option<String>,
    /// 适用的项目编号(豁免文件中使用) / The project id it applies to (in a waivers file).
    pub project: Option<String>,
    /// 理由 / Why.
    #[schemars(length(min = 1))]
    pub reason: String,
    /// 批准机关 / Approved by.
    pub approved_by: Option<String>,
    /// 批准日期 / Date of approval.
    pub approved_on: Option<Date>,
    /// 失效日期 / Date it expires.
    pub expires: Option<Date>,
}

/// 豁免文件:项目文件之外单独保存的豁免 / A waivers file: waivers kept outside the project files.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "yimi waivers file, format version 1")]
pub struct WaiversFile {
    /// 文件格式版本,目前为 1 / Format version of this file; currently 1.
    #[schemars(range(min = 1, max = 1))]
    pub yimi: u32,
    /// 豁免 / The waivers.
    pub waivers: Vec<KeptWaiver>,
}

/// 豁免文件中的一条豁免:项目文件中的豁免各项,另可用 file 限定于一个文件 / A waiver in a waivers file:
/// the keys of a project file's waiver, and `file`, which limits it to one file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeptWaiver {
    /// 被豁免的规则编号 / The rule waived.
    pub rule: Option<String>,
    /// 被豁免条款的来源(与 clause 一起,豁免引用该条款的所有规则) / Source of the clause waived (with `clause`: every rule citing that clause).
    pub source: Option<String>,
    /// 被豁免的条款 / The clause waived.
    pub clause: Option<String>,
    /// 只豁免这一路径下的问题,如 facilities / Only findings at or under this YAML path, such as facilities.
    pub scope: Option<String>,
    /// 适用的项目编号:只适用于声明这一编号的文件;本次检查中有两个以上文件声明同一编号时,未写 file 的豁免对它们都不适用 / The project id it applies to: only files declaring it; when two or more files of a run declare the id, a waiver without `file` applies to none of them.
    pub project: Option<String>,
    /// 只适用于这一个项目文件,路径写法与基线相同:相对于所在 git 仓库的根目录(不在仓库中时相对于豁免文件所在目录),或与检查时给出的路径相同,如 projects/legacy.yaml / Only this project file, named as a baseline names it: relative to the root of its git repository (outside one, to the waivers file's folder), or as the check is given it, such as projects/legacy.yaml.
    #[schemars(length(min = 1))]
    pub file: Option<String>,
    /// 理由 / Why.
    #[schemars(length(min = 1))]
    pub reason: String,
    /// 批准机关 / Approved by.
    pub approved_by: Option<String>,
    /// 批准日期 / Date of approval.
    pub approved_on: Option<Date>,
    /// 失效日期 / Date it expires.
    pub expires: Option<Date>,
}
